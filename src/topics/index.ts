/** The topics room: what a topic is, how an article is tagged, how a reader's words become a safe FTS5 query. */
export { loadAliasMap, parseTopicsFile, TopicsFileError, type AliasMap, type TopicsFile } from "./alias-map.js";
export { normalizeTopic } from "./normalize.js";
export { MAX_TOPIC_LENGTH } from "./topic-length.js";
export { DEFAULT_MAX_TAGS, extractTags, type TagInput } from "./tags.js";
export { buildMatchQuery, MAX_QUERY_CHARS, MAX_QUERY_TERMS } from "./match-query.js";
export { foldText } from "./fold.js";
