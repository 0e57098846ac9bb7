import type { UpdateSink } from "@grammyjs/runner";
import { Context, type Api, type BotError } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { BotContext } from "./context.js";

/** What the pool needs of the bot: its own handleUpdate (not one a source replaced), its one error boundary, what a Context needs. */
export interface UpdateHandler {
  handleUpdate(update: Update): Promise<void>;
  errorHandler(error: BotError<BotContext>): unknown;
  api: Api;
  botInfo: UserFromGetMe;
}

export interface UpdatePoolOptions {
  /** The most chats handled at once (UPDATES_CONCURRENCY). */
  concurrency: number;
  clock: Clock;
  logger: Logger;
}

/** An admitted (webhook) update was dropped before it started: Telegram gets an error and sends it again later. */
export class UpdateNotStartedError extends Error {
  override name = "UpdateNotStartedError";
  constructor(why: string) {
    super(`Update not started (${why}): Telegram gets an error answer and sends it again; nothing to do unless this repeats.`);
  }
}

/**
 * The updates in flight, for polling and the webhook alike, in order per chat (updates without a chat go by their
 * sender): each chat's updates wait in its own line, and only a chat's first one takes a slot, which the chat keeps
 * until its line is empty. At most `concurrency` chats are handled at once, so one chat that floods the bot holds one
 * slot and every other chat is still answered. Each update's error goes to the bot's one error boundary.
 */
export interface UpdatePool {
  /** The runner's sink: polling fetches more only while a slot is free (a chat's updates behind its first take none). */
  sink: UpdateSink<Update>;
  /**
   * Resolves once the update has started, not when it is handled; rejects with UpdateNotStartedError when it has not
   * started within `withinMs` on the clock or the pool closes first (so are the chat's updates behind it, to keep its order).
   */
  admit(update: Update, withinMs: number): Promise<void>;
  /** Refuses every admitted update that has not started, and any admitted later. Updates the sink took still run: they are confirmed. */
  close(): void;
  /** Resolves when no update is running or waiting. */
  idle(): Promise<void>;
}

interface Waiting {
  update: Update;
  key: string | undefined;
  /** Admitted updates only: told when the update starts, or that it never will. */
  start?: () => void;
  refuse?: (why: string) => void;
}

export function createUpdatePool(handler: UpdateHandler, { concurrency, clock, logger }: UpdatePoolOptions): UpdatePool {
  /** Each chat's first update, waiting for a slot. */
  const heads: Waiting[] = [];
  /** Chats with an update waiting for a slot or running: their updates after it, in order. */
  const lines = new Map<string, Waiting[]>();
  /** One per slot taken: a chat's updates, one after the other. A waiting update always has a chain before it. */
  const chains = new Set<Promise<void>>();
  const running = new Set<Update>();
  let roomWaiters: (() => void)[] = [];
  let closing = false;

  const taken = (): number => chains.size + heads.length;

  function keyOf(update: Update): string | undefined {
    const ctx = new Context(update, handler.api, handler.botInfo);
    return (ctx.chat?.id ?? ctx.from?.id)?.toString();
  }

  function take(entry: Waiting): void {
    if (entry.key !== undefined) {
      const line = lines.get(entry.key);
      if (line) return void line.push(entry);
      lines.set(entry.key, []);
    }
    heads.push(entry);
    fill();
  }

  function fill(): void {
    for (let head = heads.shift(); head; head = heads.shift()) {
      if (chains.size >= concurrency) return void heads.unshift(head);
      const chain: Promise<void> = runChain(head).finally(() => {
        chains.delete(chain);
        fill();
        const waiters = roomWaiters;
        roomWaiters = [];
        for (const wake of waiters) wake();
      });
      chains.add(chain);
    }
  }

  async function runChain(first: Waiting): Promise<void> {
    for (let entry: Waiting | undefined = first; entry; entry = nextOf(entry.key)) {
      entry.start?.();
      running.add(entry.update);
      await handle(entry.update);
      running.delete(entry.update);
    }
  }

  function nextOf(key: string | undefined): Waiting | undefined {
    if (key === undefined) return undefined;
    const next = lines.get(key)?.shift();
    if (!next) lines.delete(key);
    return next;
  }

  async function handle(update: Update): Promise<void> {
    try {
      await handler.handleUpdate(update);
    } catch (error) {
      try {
        // bot.handleUpdate rejects with the BotError it built.
        await handler.errorHandler(error as BotError<BotContext>);
      } catch (failure) {
        logger.error({ err: failure }, "the error boundary failed");
      }
    }
  }

  /** Refuses `entry` and its chat's updates behind it: none may start before it, and Telegram sends them all again. */
  function drop(entry: Waiting, why: string): void {
    const headAt = heads.indexOf(entry);
    const line = entry.key === undefined ? undefined : lines.get(entry.key);
    let refused: Waiting[];
    if (headAt >= 0) {
      heads.splice(headAt, 1);
      if (entry.key !== undefined) lines.delete(entry.key);
      refused = [entry, ...(line ?? [])];
    } else {
      const at = line?.indexOf(entry) ?? -1;
      if (at < 0) return;
      refused = line?.splice(at) ?? [];
    }
    for (const waiting of refused) waiting.refuse?.(why);
  }

  return {
    sink: {
      async handle(updates) {
        for (const update of updates) take({ update, key: keyOf(update) });
        while (taken() >= concurrency) await new Promise<void>((wake) => roomWaiters.push(wake));
        return concurrency - taken();
      },
      size: taken,
      snapshot: () => [...running, ...heads.map((entry) => entry.update), ...[...lines.values()].flat().map((entry) => entry.update)],
    },
    admit(update, withinMs) {
      if (closing) return Promise.reject(new UpdateNotStartedError("the bot is stopping"));
      return new Promise<void>((resolve, reject) => {
        const settled = new AbortController();
        const entry: Waiting = {
          update,
          key: keyOf(update),
          start: () => {
            settled.abort();
            resolve();
          },
          refuse: (why) => {
            settled.abort();
            reject(new UpdateNotStartedError(why));
          },
        };
        take(entry);
        void clock.sleep(withinMs, settled.signal).then(() => {
          if (!settled.signal.aborted) drop(entry, `not started within ${withinMs / 1000} s`);
        });
      });
    },
    close() {
      closing = true;
      for (const head of [...heads]) if (head.refuse) drop(head, "the bot is stopping");
      for (const line of lines.values()) {
        const first = line.find((entry) => entry.refuse);
        if (first) drop(first, "the bot is stopping");
      }
    },
    async idle() {
      while (chains.size > 0) await Promise.allSettled([...chains]);
    },
  };
}
