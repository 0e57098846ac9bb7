/** Words that are never a topic on their own. All entries are folded (lower case, no accents). */

/** Function words: they start sentences and sit inside names ("House of Commons"). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "the", "and", "or", "but", "if", "nor", "of", "in", "on", "at", "to", "for", "from", "by",
  "with", "as", "into", "onto", "over", "under", "after", "before", "about", "against", "between",
  "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
  "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "you", "i", "me", "him",
  "her", "his", "their", "them", "our", "your", "my", "not", "no", "so", "than", "then", "there",
  "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "all", "any",
  "some", "more", "most", "other", "such", "only", "also", "just", "very", "can", "will", "would",
  "should", "could", "might", "must", "said", "says", "say", "new", "one", "two", "again", "beyond",
]);

/** Dates are metadata, not topics. "may" is here: "Theresa May" survives as a two-word tag. */
export const CALENDAR_WORDS: ReadonlySet<string> = new Set([
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", "jan", "feb", "apr", "jun", "jul", "aug", "sept", "oct",
  "nov", "dec", "today", "yesterday", "tomorrow", "week", "month", "year",
]);

/** Newsroom furniture: agencies, photo credits, promo lines ("Join ST's Telegram channel"). */
export const NEWSROOM_STOPLIST: ReadonlySet<string> = new Set([
  "telegram", "st", "straits times", "the straits times", "reuters", "afp", "ap", "associated press",
  "agence france-presse", "agence france presse", "xinhua", "xinhua news agency", "bloomberg", "epa",
  "dpa", "efe", "kyodo", "yonhap", "bernama", "ani", "pti", "getty", "getty images", "photo", "photos",
  "file photo", "st photo", "reuters photo", "afp photo", "spokesman", "spokeswoman", "spokesperson",
  "reporter", "correspondent", "editor", "news", "breaking news", "latest news", "join", "channel",
  "subscribe", "newsletter", "mr", "mrs", "ms", "dr", "sir",
]);

/** True when `tag` (folded) is furniture, a date word, or made only of such words. */
export function isStopTag(tag: string): boolean {
  if (NEWSROOM_STOPLIST.has(tag)) return true;
  return tag
    .split(/[\s-]+/)
    .every((w) => STOP_WORDS.has(w) || CALENDAR_WORDS.has(w) || NEWSROOM_STOPLIST.has(w));
}
