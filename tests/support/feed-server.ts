import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A loopback HTTP server for feeds and article pages. Routes can be changed while it runs, so a
 * test can add items between two polls. Hanging requests are cut on close.
 */
export async function startFeedServer(routes: Record<string, Route> = {}) {
  const table = new Map(Object.entries(routes));
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = table.get(path);
    if (route) route(req, res);
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path: string) => `${base}${path}`,
    route(path: string, handler: Route) {
      table.set(path, handler);
    },
    hits: (path: string) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a body with a content type; with an ETag, answers 304 to a matching If-None-Match. */
export function serve(body: string | Buffer, contentType = "application/rss+xml; charset=utf-8", etag?: string): Route {
  return (req, res) => {
    if (etag && req.headers["if-none-match"] === etag) return void res.writeHead(304).end();
    res.writeHead(200, { "content-type": contentType, ...(etag ? { etag } : {}) }).end(body);
  };
}

export interface FeedItemSpec {
  /** undefined, like absent: an item without a guid. */
  guid?: string | undefined;
  title: string;
  link?: string;
  description?: string;
  content?: string;
  pubDate?: Date;
  categories?: string[];
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A small, valid RSS 2.0 document. */
export function rssFeed(title: string, items: FeedItemSpec[]): string {
  const entries = items.map(
    (item) => `    <item>
      <title>${xml(item.title)}</title>
      ${item.link ? `<link>${xml(item.link)}</link>` : ""}
      ${item.guid ? `<guid isPermaLink="false">${xml(item.guid)}</guid>` : ""}
      ${item.description ? `<description>${xml(item.description)}</description>` : ""}
      ${item.content ? `<content:encoded>${xml(item.content)}</content:encoded>` : ""}
      ${(item.categories ?? []).map((c) => `<category>${xml(c)}</category>`).join("")}
      <pubDate>${(item.pubDate ?? new Date("2026-11-28T10:00:00Z")).toUTCString()}</pubDate>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${xml(title)}</title>
    <link>https://news.example/</link>
    <description>Test feed</description>
${entries.join("\n")}
  </channel>
</rss>`;
}
