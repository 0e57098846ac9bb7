import { ingestRawText, type DeskIngestResult } from "../../src/ingest/desk.js";
import type { Store } from "../../src/store/index.js";
import { loadAliasMap } from "../../src/topics/index.js";

const HOUR = 3_600_000;

/** Stores an article given as text (headline, blank line, body), the way an editor pastes one. */
export function storeText(store: Store, text: string, options: { link?: string; hoursAgo?: number } = {}): Promise<DeskIngestResult> {
  return ingestRawText(text, {
    link: options.link,
    store,
    aliases: loadAliasMap(),
    summaryMaxChars: 400,
    ...(options.hoursAgo === undefined ? {} : { now: new Date(Date.now() - options.hoursAgo * HOUR) }),
  });
}
