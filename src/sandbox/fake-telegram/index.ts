export { FakeTelegram } from "./server.js";
export { parseTelegramHtml, type HtmlParseOptions, type HtmlParseResult, type MessageEntity } from "./html.js";
export { SEND_METHODS } from "./methods.js";
export type { RateLimitOptions } from "./rate-limit.js";
export type { UploadedFile } from "./body.js";
export type * from "./types.js";
