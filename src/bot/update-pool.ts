import { createConcurrentSink, type UpdateSink } from "@grammyjs/runner";
import type { BotError } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.js";
import type { BotContext } from "./context.js";

/** What the pool needs of the bot: its own handleUpdate (not one a source replaced) and its one error boundary. */
export interface UpdateHandler {
  handleUpdate(update: Update): Promise<void>;
  errorHandler(error: BotError<BotContext>): unknown;
}

/**
 * The updates in flight, for polling and the webhook alike: at most `concurrency` at once (the runner's concurrent
 * sink), each one's error handed to the bot's one error boundary, and a stop that can wait for them. One chat's order
 * is kept by sequentialize, the bot's first middleware; an update waiting its turn there holds its slot.
 */
export interface UpdatePool {
  /** The runner's sink: polling fetches no more updates than it has room for. */
  sink: UpdateSink<Update>;
  /** Waits for a free slot, then starts the update; resolves once it has started, not when it is handled. */
  admit(update: Update): Promise<void>;
  /** Resolves when no update is in flight. */
  idle(): Promise<void>;
}

export function createUpdatePool(handler: UpdateHandler, concurrency: number, logger: Logger): UpdatePool {
  const running = new Set<Promise<unknown>>();
  const sink = createConcurrentSink<Update>(
    {
      consume: (update) => {
        const handling = handler.handleUpdate(update);
        const tracked = handling.catch(() => undefined).finally(() => running.delete(tracked));
        running.add(tracked);
        return handling;
      },
    },
    async (error) => {
      try {
        await handler.errorHandler(error as BotError<BotContext>);
      } catch (failure) {
        logger.error({ err: failure }, "the error boundary failed");
      }
    },
    { concurrency },
  );
  return {
    sink,
    async admit(update) {
      // handle([]) resolves once a slot is free; several waiters may wake for one slot, so each checks again.
      while (sink.size() >= concurrency) await sink.handle([]);
      void sink.handle([update]);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
