import { systemClock, type Clock } from "../../src/clock.js";
import { ingestRawText, type DeskIngestResult } from "../../src/ingest/desk.js";
import type { Store } from "../../src/store/index.js";
import { loadAliasMap } from "../../src/topics/index.js";

const HOUR = 3_600_000;

/**
 * Stores an article given as text (headline, blank line, body), the way an editor pastes one, at the time
 * of `clock` (default: the system's), or `hoursAgo` before it.
 */
export function storeText(
  store: Store,
  text: string,
  options: { link?: string; hoursAgo?: number; clock?: Clock } = {},
): Promise<DeskIngestResult> {
  const base = options.clock ?? systemClock;
  const shift = (options.hoursAgo ?? 0) * HOUR;
  return ingestRawText(text, {
    link: options.link,
    store,
    clock: { now: () => base.now() - shift, sleep: (ms, signal) => base.sleep(ms, signal) },
    aliases: loadAliasMap(),
    summaryMaxChars: 400,
  });
}
