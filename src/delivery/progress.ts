import type { Store } from "../store/index.js";
import type { DeliveryEngine } from "./engine.js";

export interface BroadcastProgress {
  sent: number;
  failed: number;
  blocked: number;
  /** Of a retraction's sent messages, those edited into the notice rather than deleted (0 otherwise). */
  replaced: number;
  /** Pending and in flight. */
  left: number;
  /** Messages per second the engine is sending now. */
  rate: number;
  /** Seconds until the rest is sent at the current rate (or at BROADCAST_RATE when idle); 0 when done. */
  etaSeconds: number;
}

/**
 * One article's broadcast as it runs: what the admin desk shows as a live message. With `revision`, only the messages
 * of that revision count: 0 for a push, a correction's or retraction's own number for its edits or deletions.
 */
export async function broadcastProgress(
  store: Store,
  engine: Pick<DeliveryEngine, "progress">,
  articleId: number,
  broadcastRate: number,
  revision?: number,
): Promise<BroadcastProgress> {
  const counts = await store.outbox.counts(articleId, revision);
  const left = counts.pending + counts.sending;
  const rate = engine.progress().rate;
  const pace = rate > 0 ? rate : broadcastRate;
  return {
    sent: counts.sent,
    failed: counts.failed,
    blocked: counts.blocked,
    replaced: revision === undefined || revision === 0 ? 0 : await store.outbox.replacedByNotice(articleId, revision),
    left,
    rate,
    etaSeconds: left === 0 ? 0 : Math.ceil(left / pace),
  };
}
