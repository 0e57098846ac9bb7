import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SendResult } from "../delivery/engine.js";
import type { FeedRunResult } from "../ingest/feed-run.js";
import type { DeliveryState, OutboxStore } from "../store/index.js";

export interface AppMetrics {
  /** A registry of the app's own (not prom-client's global one), so that several apps can run in one process. */
  registry: Registry;
  /** One update handled: its label (a command, "callback", "text", "other") and how long the handlers took. */
  updateHandled: (label: string, seconds: number) => void;
  messageSent: (kind: string, result: SendResult) => void;
  feedsFetched: (results: readonly FeedRunResult[]) => void;
}

const STATES: readonly DeliveryState[] = ["pending", "sending", "sent", "failed", "blocked", "cancelled"];

/** The app's Prometheus metrics; the outbox depth is read from the store on each scrape. */
export function createMetrics(outbox: Pick<OutboxStore, "counts">): AppMetrics {
  const registry = new Registry();
  const updates = new Counter({
    name: "newsdesk_updates_total",
    help: "Telegram updates handled, by command (or callback, text, other).",
    labelNames: ["command"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "newsdesk_update_duration_seconds",
    help: "Time the bot's handlers took for one update.",
    labelNames: ["command"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const sends = new Counter({
    name: "newsdesk_messages_total",
    help: "Tries to send a message, by kind and result (sent, failed, blocked, 429): the delivery engine's, by outbox kind, and the 429s met by the bot's replies (kind reply).",
    labelNames: ["kind", "result"],
    registers: [registry],
  });
  const fetches = new Counter({
    name: "newsdesk_feed_fetches_total",
    help: "Scheduled feed fetches, by result (ok, not-modified, failed).",
    labelNames: ["result"],
    registers: [registry],
  });
  new Gauge({
    name: "newsdesk_outbox_messages",
    help: "Messages in the outbox, by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const counts = await outbox.counts();
      for (const state of STATES) this.set({ state }, counts[state]);
    },
  });
  return {
    registry,
    updateHandled(label, seconds) {
      updates.inc({ command: label });
      latency.observe({ command: label }, seconds);
    },
    messageSent: (kind, result) => sends.inc({ kind, result }),
    feedsFetched(results) {
      for (const result of results) fetches.inc({ result: result.status });
    },
  };
}
