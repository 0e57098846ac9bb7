/** One outline of an OPML subscription list. */
export interface OpmlFeed {
  url: string;
  title: string;
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
