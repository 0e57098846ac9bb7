/** Core room "summarize": sentences, shortening and the article summary. Pure. */
export { splitSentences, sentenceEnds } from "./sentences.js";
export { shortenAtSentence, cutAtWord, ELLIPSIS } from "./shorten.js";
export { summarize, DEFAULT_SUMMARY_MAX_CHARS, type SummarizeOptions } from "./summarize.js";
export { usableStandfirst, isNearDuplicate, MIN_STANDFIRST_CHARS } from "./standfirst.js";
