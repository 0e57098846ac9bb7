/**
 * The data of our inline buttons, in one place: "<version>:<action>:<fields>", at most 64 bytes
 * (Telegram's limit for callback_data).
 *
 *   1:m:<page>:<query>   page <page> (1…MAX_PAGE) of /topic <query>
 *   1:t:<query>          /topic <query>, first page (buttons of /topics and of suggestions)
 *   1:f:<topic>          follow <topic>
 *   1:u:<topic>          stop following <topic> (buttons of /mytopics)
 *   1:p:<article id>     post a queued article to the channel now (admins: /schedule)
 *   1:k:<article id>     skip a queued article: out of the queue, not posted (admins: /schedule)
 *   1:e:<op>:<feed id>   /feeds (admins): p pause, r resume, x ask to remove, y remove (confirmed), l back to the list
 *
 * Nothing is kept server-side: the button carries the whole query. A query or topic that does not
 * fit gets no button at all (cutting it would page or follow something the reader never asked for).
 * Anything else (an older version, a forged or garbled payload) parses to undefined, and the
 * button answers that it has expired.
 */

export const CALLBACK_VERSION = "1";
export const MAX_CALLBACK_BYTES = 64;
/** Paging stops here: 20 pages of 5 is more than anyone reads, and bounds the offset a forged button can ask for. */
export const MAX_PAGE = 20;

export type ButtonAction =
  | { kind: "more"; page: number; query: string }
  | { kind: "topic"; query: string }
  | { kind: "follow"; topic: string }
  | { kind: "unfollow"; topic: string }
  | { kind: "post-now"; articleId: number }
  | { kind: "skip"; articleId: number }
  | { kind: "feed"; op: FeedOp; feedId: number };

type FeedOp = "pause" | "resume" | "ask-remove" | "remove" | "list";
const FEED_OP_CODE = { pause: "p", resume: "r", "ask-remove": "x", remove: "y", list: "l" } as const satisfies Record<FeedOp, string>;
const FEED_OP_AND_ID = /^([a-z]):([1-9][0-9]{0,14})$/;

const CODE_OF = { more: "m", topic: "t", follow: "f", unfollow: "u", "post-now": "p", skip: "k", feed: "e" } as const satisfies Record<
  ButtonAction["kind"],
  string
>;

const DATA = /^([^:]+):([a-z]):(.*)$/s;
const PAGE_AND_QUERY = /^([1-9][0-9]{0,2}):(.*)$/s;
const ARTICLE_ID = /^[1-9][0-9]{0,15}$/;
/** Control characters, lone surrogates and U+FFFD: never in text we encoded, typical of random bytes. */
const GARBAGE = /[\p{Cc}\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** The form a query or topic travels in: whitespace collapsed, so that encoding and parsing agree. */
export function tidyButtonText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The callback_data for an action, or undefined when it cannot be carried (too long, empty, page out of range). */
export function encodeButton(action: ButtonAction): string | undefined {
  if (action.kind === "post-now" || action.kind === "skip") {
    return Number.isSafeInteger(action.articleId) && action.articleId > 0
      ? `${CALLBACK_VERSION}:${CODE_OF[action.kind]}:${action.articleId}`
      : undefined;
  }
  if (action.kind === "feed") return `${CALLBACK_VERSION}:${CODE_OF.feed}:${FEED_OP_CODE[action.op]}:${action.feedId}`;
  const text = tidyButtonText(action.kind === "follow" || action.kind === "unfollow" ? action.topic : action.query);
  if (!isCarryable(text)) return undefined;
  if (action.kind === "more" && !isPage(action.page)) return undefined;
  const fields = action.kind === "more" ? `${action.page}:${text}` : text;
  const data = `${CALLBACK_VERSION}:${CODE_OF[action.kind]}:${fields}`;
  return byteLength(data) <= MAX_CALLBACK_BYTES ? data : undefined;
}

/** The action a button stands for, or undefined for anything we did not encode ourselves. */
export function parseButton(data: string): ButtonAction | undefined {
  if (byteLength(data) > MAX_CALLBACK_BYTES) return undefined;
  const match = DATA.exec(data);
  if (!match || match[1] !== CALLBACK_VERSION) return undefined;
  const [, , code, rest = ""] = match;
  if (code === CODE_OF.more) {
    const paged = PAGE_AND_QUERY.exec(rest);
    const page = Number(paged?.[1]);
    const query = paged?.[2] ?? "";
    return paged && isPage(page) && isCanonical(query) ? { kind: "more", page, query } : undefined;
  }
  if (code === CODE_OF["post-now"] || code === CODE_OF.skip) {
    const articleId = Number(rest);
    if (!ARTICLE_ID.test(rest) || !Number.isSafeInteger(articleId)) return undefined;
    return code === CODE_OF.skip ? { kind: "skip", articleId } : { kind: "post-now", articleId };
  }
  if (code === CODE_OF.feed) return parseFeedAction(rest);
  if (!isCanonical(rest)) return undefined;
  if (code === CODE_OF.topic) return { kind: "topic", query: rest };
  if (code === CODE_OF.follow) return { kind: "follow", topic: rest };
  if (code === CODE_OF.unfollow) return { kind: "unfollow", topic: rest };
  return undefined;
}

function parseFeedAction(rest: string): ButtonAction | undefined {
  const match = FEED_OP_AND_ID.exec(rest);
  const op = (Object.keys(FEED_OP_CODE) as FeedOp[]).find((key) => FEED_OP_CODE[key] === match?.[1]);
  const feedId = Number(match?.[2]);
  return op && Number.isSafeInteger(feedId) ? { kind: "feed", op, feedId } : undefined;
}

function isPage(page: number): boolean {
  return Number.isInteger(page) && page >= 1 && page <= MAX_PAGE;
}

function isCarryable(text: string): boolean {
  return text !== "" && !GARBAGE.test(text);
}

function isCanonical(text: string): boolean {
  return isCarryable(text) && tidyButtonText(text) === text;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
