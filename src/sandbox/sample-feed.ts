import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PROJECT_ROOT } from "../project-root.js";

/** One real story of the sample feed (src/sandbox/sample/README.md says where each comes from). */
export interface SampleStory {
  source: string;
  title: string;
  link: string;
  guid: string;
  /** The item's body as the feed gives it: HTML. */
  html: string;
}

interface SampleStories {
  /** In the feed from the start: the first poll stores them (backfill). */
  feed: SampleStory[];
  /** Held back: /news adds them to the feed one at a time, as new stories. */
  news: SampleStory[];
}

/** Read from the project's folder, like templates/: the same file whether the sandbox runs under tsx or from dist/. */
const STORIES_FILE = join(PROJECT_ROOT, "src", "sandbox", "sample", "stories.json");

function loadSampleStories(): SampleStories {
  return JSON.parse(readFileSync(STORIES_FILE, "utf8")) as SampleStories;
}

export interface SampleFeed {
  url: string;
  /** Puts the next held-back story at the top of the feed; undefined when none is left. */
  addNews(): SampleStory | undefined;
  close(): Promise<void>;
}

/** Minutes between the sample stories' dates, so that /latest reads like a news day rather than the stories' real years. */
const SPACING_MINUTES = 37;

/**
 * Serves the sample stories as an RSS 2.0 feed on 127.0.0.1 (a random port). Dates are set from `now`: the
 * stories present at start are spread over the hours before it, and a story /news adds is dated when it is added.
 */
export async function startSampleFeed(now: () => number): Promise<SampleFeed> {
  const stories = loadSampleStories();
  const startedAt = now();
  const items = stories.feed.map((story, i) => ({ story, date: new Date(startedAt - (i + 1) * SPACING_MINUTES * 60_000) }));
  const heldBack = [...stories.news];
  const server = createServer((req, res) => {
    if ((req.url ?? "/").split("?")[0] !== "/feed.xml") return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(rss(items));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`,
    addNews() {
      const story = heldBack.shift();
      if (story) items.unshift({ story, date: new Date(now()) });
      return story;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const xml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function rss(items: { story: SampleStory; date: Date }[]): string {
  const entries = items.map(
    ({ story, date }) => `    <item>
      <title>${xml(story.title)}</title>
      <link>${xml(story.link)}</link>
      <guid isPermaLink="false">${xml(story.guid)}</guid>
      <description>${xml(story.html)}</description>
      <pubDate>${date.toUTCString()}</pubDate>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Sample feed</title>
    <link>https://newsdesk.invalid/</link>
    <description>Real news items shipped with Newsdesk for the offline sandbox</description>
${entries.join("\n")}
  </channel>
</rss>`;
}
