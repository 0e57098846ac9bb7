import { MalformedError, ParseError, parseOpml, type Opml } from "feedsmith";
import { titleOrHost } from "../format/card.js";

/** One outline of an OPML subscription list. */
export interface OpmlFeed {
  url: string;
  title: string;
}

/** Why a file is not imported whole; the import-refused template words each for the admin. */
export type OpmlProblem = { problem: "not-opml" } | { problem: "no-feeds" } | { problem: "too-many"; feeds: number; max: number };

function logMessage(refusal: OpmlProblem): string {
  switch (refusal.problem) {
    case "not-opml":
      return "Not an OPML file: send the subscription list a feed reader (or /export) exports.";
    case "no-feeds":
      return "The OPML file lists no feeds (no outline has an xmlUrl): send the list a feed reader exports, or add feeds with /addfeed.";
    case "too-many":
      return `The OPML file lists ${refusal.feeds} feeds, over the ${refusal.max} one import checks: split it into smaller files.`;
  }
}

/** The file is not an OPML subscription list Newsdesk imports: `refusal` says why, for the template; the message is for the log. */
export class OpmlError extends Error {
  override name = "OpmlError";
  constructor(
    readonly refusal: OpmlProblem,
    options?: ErrorOptions,
  ) {
    super(logMessage(refusal), options);
  }
}

type Outline = Opml.Outline<string>;

/**
 * The feeds of an OPML file (feedsmith's parser): every outline with an xmlUrl, nested folders included, each URL once,
 * in the file's order. The title is the outline's title, else its text, else the URL's host (or the URL).
 * Throws OpmlError for a file that is not OPML or lists no feed.
 */
export function readOpml(text: string): OpmlFeed[] {
  let document;
  try {
    document = parseOpml(text);
  } catch (error) {
    if (error instanceof MalformedError || error instanceof ParseError) {
      throw new OpmlError({ problem: "not-opml" }, { cause: error });
    }
    throw error;
  }
  const feeds = new Map<string, OpmlFeed>();
  const visit = (outlines: readonly Outline[]): void => {
    for (const outline of outlines) {
      const url = outline.xmlUrl?.trim();
      if (url && !feeds.has(url)) feeds.set(url, { url, title: titleOrHost((outline.title ?? outline.text ?? "").trim(), url) });
      visit(outline.outlines ?? []);
    }
  };
  visit(document.body?.outlines ?? []);
  if (feeds.size === 0) throw new OpmlError({ problem: "no-feeds" });
  return [...feeds.values()];
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes text for an XML attribute; control characters XML 1.0 forbids are dropped. */
function attribute(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to remove them
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** An OPML 2.0 subscription list, as feed readers import it (one rss outline per feed). */
export function writeOpml(feeds: readonly OpmlFeed[], created: Date): string {
  const outlines = feeds.map(
    (feed) => `    <outline type="rss" text="${attribute(feed.title)}" title="${attribute(feed.title)}" xmlUrl="${attribute(feed.url)}"/>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    "  <head>",
    "    <title>Newsdesk feeds</title>",
    `    <dateCreated>${created.toUTCString()}</dateCreated>`,
    "  </head>",
    "  <body>",
    ...outlines,
    "  </body>",
    "</opml>",
    "",
  ].join("\n");
}
