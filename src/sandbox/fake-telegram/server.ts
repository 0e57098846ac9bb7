import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BotCommand, Update, UserFromGetMe } from "grammy/types";
import { readParams, type Params } from "./body.js";
import { ApiError, notFound, unauthorized } from "./errors.js";
import { commandsKey } from "./commands.js";
import { createMethods } from "./methods.js";
import { RateLimiter, type RateLimitOptions } from "./rate-limit.js";
import { TelegramState } from "./state.js";
import type {
  ChatSpec,
  Fault,
  FaultHandle,
  FakeTelegramOptions,
  MemberStatus,
  PushCallbackQueryInput,
  PushDocumentInput,
  PushMessageInput,
  SentMessage,
  Stats,
} from "./types.js";
import { pushCallbackQuery, pushDocument, pushMessage } from "./updates.js";

interface ActiveFault {
  fault: Fault;
  remaining: number | undefined;
  hits: number;
}

/**
 * A fake Telegram Bot API server on 127.0.0.1:<random port> for grammY bots under test:
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`. Always `await fake.close()` afterwards.
 */
export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;

  private readonly state: TelegramState;
  private readonly limiter = new RateLimiter();
  private readonly methods: ReturnType<typeof createMethods>;
  // Every request in flight listens to it: thousands at once in broadcast tests are expected.
  private readonly closing = withUnlimitedListeners(new AbortController());
  private readonly inflight = new Set<Promise<void>>();
  private faults: ActiveFault[] = [];
  private latencyMs: number;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    options: FakeTelegramOptions,
  ) {
    this.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.token = options.token ?? "123456:TEST-TOKEN";
    const botId = /^(\d+):/.exec(this.token)?.[1];
    if (!botId) throw new Error(`FakeTelegram: token must look like "<bot id>:<secret>", got "${this.token}"`);
    this.botInfo = {
      id: Number(botId),
      is_bot: true,
      first_name: options.firstName ?? "Newsdesk Test",
      username: options.username ?? "newsdesk_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.state = new TelegramState(this.botInfo);
    this.latencyMs = options.latencyMs ?? 0;
    this.limiter.set(options.rateLimit);
    const strictHtml = options.strictHtml ?? true;
    this.methods = createMethods({ state: this.state, limiter: this.limiter, strictHtml: () => strictHtml });
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    let fake: FakeTelegram;
    try {
      fake = new FakeTelegram(server, options);
    } catch (error) {
      server.close();
      throw error;
    }
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      const handling = fake.handle(req, res).finally(() => fake.inflight.delete(handling));
      fake.inflight.add(handling);
    });
    return fake;
  }

  // --- chats and users ---

  addChat(spec: ChatSpec): ChatSpec {
    const chat = this.state.addChat(spec);
    this.state.changed();
    return chat;
  }

  /** Sends to the chat answer 403 (blocked by the user, or kicked from a group/channel). */
  block(chatId: number): void {
    this.knownChat(chatId);
    this.state.blocked.add(chatId);
  }

  unblock(chatId: number): void {
    this.state.blocked.delete(chatId);
  }

  /** Sends to the chat answer 403 "user is deactivated" (deleted account). */
  deactivate(chatId: number): void {
    this.knownChat(chatId);
    this.state.deactivated.add(chatId);
  }

  /** Membership as getChatMember/getChatAdministrators report it; use the bot's id to change the bot's own. */
  setMember(chatId: number, userId: number, status: MemberStatus, names: { firstName?: string; username?: string } = {}): void {
    if (userId !== this.botInfo.id) this.state.ensureUser(userId, names);
    this.state.setMember(chatId, userId, status);
  }

  // --- updates ---

  /** Queues a raw update (update_id is filled in); chats and users in it become known. */
  pushUpdate(raw: Record<string, unknown>): Update {
    this.learnFrom(raw);
    return this.state.pushUpdate(raw);
  }

  pushMessage(input: PushMessageInput): Update {
    return pushMessage(this.state, input);
  }

  /** A file the user sends: message.document in the update; getFile and GET /file/bot<token>/<file_path> serve it. */
  pushDocument(input: PushDocumentInput): Update {
    return pushDocument(this.state, input);
  }

  pushCallbackQuery(input: PushCallbackQueryInput): Update {
    return pushCallbackQuery(this.state, input);
  }

  /** Updates queued and not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): Update[] {
    return this.state.pending();
  }

  // --- what the bot did ---

  /** Messages the bot sent (deleted ones included, flagged), optionally only those to one chat. */
  sent(chatId?: number): SentMessage[] {
    return this.state.records.filter((r) => chatId === undefined || r.chatId === chatId);
  }

  get callbackAnswers(): Params[] {
    return this.state.callbackAnswers;
  }

  /** setMyCommands results keyed by scope JSON ("type" first), plus "|<language_code>" when one was given. */
  get commands(): Record<string, BotCommand[]> {
    return this.state.commands;
  }

  getCommands(scope?: Record<string, unknown>, languageCode?: string): BotCommand[] | undefined {
    return this.state.commands[commandsKey(undefined, scope, languageCode)];
  }

  get stats(): Stats {
    return this.state.stats;
  }

  resetStats(): void {
    this.state.resetStats();
  }

  /**
   * Resolves with the predicate's value once it is neither undefined, null nor false. Checked on every change
   * of the fake's state and every 25 ms (for predicates over outside state).
   */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000, describe?: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        off();
        this.closing.signal.removeEventListener("abort", onClose);
      };
      const check = (): void => {
        try {
          const value = predicate();
          if (value === undefined || value === null || value === false) return;
          finish();
          resolve(value);
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const onClose = (): void => {
        finish();
        reject(new Error("FakeTelegram was closed while waiting"));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(describe?.() ?? `waitFor: condition not met within ${timeoutMs}ms`));
      }, timeoutMs);
      const poll = setInterval(check, 25);
      const off = this.state.onChange(check);
      if (this.closing.signal.aborted) return onClose();
      this.closing.signal.addEventListener("abort", onClose, { once: true });
      check();
    });
  }

  /** Resolves with the chat's messages once at least `count` were sent to it. */
  waitForSent(chatId: number, count: number, timeoutMs = 5000): Promise<SentMessage[]> {
    return this.waitFor(
      () => {
        const messages = this.sent(chatId);
        return messages.length >= count ? messages : undefined;
      },
      timeoutMs,
      () => this.describeSent(chatId, count, timeoutMs),
    );
  }

  // --- behaviour knobs ---

  /** null switches rate limiting off. Replaces the buckets, so they start full. */
  setRateLimit(options: RateLimitOptions | null): void {
    this.limiter.set(options);
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Makes the bot's messages in a chat `hours` older, as if sent that long before (Telegram deletes only within 48 hours). */
  ageMessages(chatId: number, hours: number): void {
    for (const record of this.sent(chatId)) record.date -= Math.round(hours * 3600);
  }

  injectFault(fault: Fault): FaultHandle {
    const active: ActiveFault = { fault, remaining: fault.times, hits: 0 };
    this.faults.push(active);
    return {
      get hits() {
        return active.hits;
      },
      remove: () => {
        this.faults = this.faults.filter((f) => f !== active);
      },
    };
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Ends pending long polls with an empty result, drops hanging requests and closes every connection. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  // --- HTTP ---

  private async shutdown(): Promise<void> {
    this.closing.abort();
    // Give released long polls a moment to write their answers before the connections are cut.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((resolve) => (grace = setTimeout(resolve, 1000)))]);
    clearTimeout(grace);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signal = this.requestSignal(res);
    const url = new URL(req.url ?? "/", this.apiRoot);
    if (url.pathname.startsWith("/file/")) return this.serveFile(url, res);
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    let method = route?.[2] ?? url.pathname;
    let chatId: unknown;
    this.state.stats.requests++;
    try {
      if (!route) throw notFound();
      if (decodeURIComponent(route[1] ?? "") !== this.token) throw unauthorized();
      const entry = this.methods.get(method.toLowerCase());
      method = entry?.name ?? method;
      this.state.stats.byMethod[method] = (this.state.stats.byMethod[method] ?? 0) + 1;
      if (!entry) throw notFound();

      if (this.latencyMs > 0) await delay(this.latencyMs, signal);
      if (signal.aborted) return void res.destroy();
      const params = await readParams(req, url);
      chatId = params.chat_id;

      const fault = this.takeFault(method);
      if (fault && "reset" in fault) return void req.socket.destroy();
      if (fault?.hang) {
        await delay(Infinity, signal);
        return void res.destroy();
      }
      if (fault) {
        const parameters = { ...fault.parameters, ...(fault.retryAfter !== undefined ? { retry_after: fault.retryAfter } : {}) };
        throw new ApiError(fault.status, fault.description, Object.keys(parameters).length ? parameters : undefined);
      }

      const result = await entry.handler(params, { signal });
      // A client that gave up gets nothing; a closing server still answers released long polls.
      if (signal.aborted && !this.closing.signal.aborted) return;
      this.respond(res, 200, { ok: true, result });
    } catch (caught) {
      // Reading the body of a request the client abandoned fails; nobody is left to answer.
      if (signal.aborted && !(caught instanceof ApiError)) return void res.destroy();
      const error = caught instanceof ApiError ? caught : new ApiError(500, `Internal Server Error: ${String(caught)}`);
      this.state.stats.errors.push({ method, status: error.code, description: error.description, ...chatRef(chatId) });
      if (error.code === 429) this.state.stats.tooManyRequests++;
      this.state.changed();
      if (!res.destroyed) {
        this.respond(res, error.code, {
          ok: false,
          error_code: error.code,
          description: error.description,
          ...(error.parameters ? { parameters: error.parameters } : {}),
        });
      }
    }
  }

  /** GET /file/bot<token>/<file_path>: a file's bytes, as Telegram's file server answers; 404 for anything else. */
  private serveFile(url: URL, res: ServerResponse): void {
    this.state.stats.requests++;
    const route = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    const path = route && decodeURIComponent(route[1] ?? "") === this.token ? decodeURIComponent(route[2] ?? "") : undefined;
    const file = [...this.state.files.values()].find((f) => f.filePath === path);
    if (!file) return this.respond(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    this.state.stats.fileDownloads++;
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.data.length });
    res.end(file.data);
  }

  private respond(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
    res.end(json);
  }

  /** Aborts when the client disconnects before the answer, or when the server closes. */
  private requestSignal(res: ServerResponse): AbortSignal {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    this.closing.signal.addEventListener("abort", abort, { once: true });
    res.on("close", () => {
      this.closing.signal.removeEventListener("abort", abort);
      if (!res.writableFinished) abort();
    });
    return controller.signal;
  }

  private takeFault(method: string): Fault | undefined {
    const time = Date.now();
    this.faults = this.faults.filter(
      (f) => (f.fault.untilMs === undefined || time < f.fault.untilMs) && (f.remaining === undefined || f.remaining > 0),
    );
    const active = this.faults.find((f) => !f.fault.method || f.fault.method.toLowerCase() === method.toLowerCase());
    if (!active) return undefined;
    active.hits++;
    if (active.remaining !== undefined) active.remaining--;
    return active.fault;
  }

  private knownChat(chatId: number): void {
    if (!this.state.chats.has(chatId)) this.state.addChat({ id: chatId, type: chatId > 0 ? "private" : "supergroup" });
  }

  /** Raw updates make their chats and senders known, as real traffic would. */
  private learnFrom(raw: Record<string, unknown>): void {
    for (const value of Object.values(raw)) {
      if (typeof value !== "object" || value === null) continue;
      const payload = value as Record<string, unknown>;
      const nested = payload.message as Record<string, unknown> | undefined;
      for (const chat of [payload.chat, nested?.chat]) {
        const c = chat as Record<string, unknown> | undefined;
        if (typeof c?.id !== "number" || typeof c.type !== "string" || this.state.chats.has(c.id)) continue;
        this.state.addChat({
          id: c.id,
          type: c.type as ChatSpec["type"],
          title: c.title as string | undefined,
          username: c.username as string | undefined,
          firstName: c.first_name as string | undefined,
        });
      }
      const from = payload.from as Record<string, unknown> | undefined;
      if (typeof from?.id === "number" && from.is_bot !== true) {
        this.state.ensureUser(from.id, { firstName: from.first_name as string | undefined, username: from.username as string | undefined });
      }
    }
  }

  private describeSent(chatId: number, count: number, timeoutMs: number): string {
    const mine = this.sent(chatId);
    const lines = [`waitForSent: expected at least ${count} message(s) to chat ${chatId} within ${timeoutMs}ms, got ${mine.length}`];
    for (const m of mine) lines.push(`  #${m.messageId} ${m.method}${m.deleted ? " (deleted)" : ""}: ${JSON.stringify(m.text)}`);
    const others = new Map<number, number>();
    for (const m of this.state.records) if (m.chatId !== chatId) others.set(m.chatId, (others.get(m.chatId) ?? 0) + 1);
    if (others.size) lines.push(`  other chats: ${[...others].map(([id, n]) => `${id} (${n})`).join(", ")}`);
    const errors = this.state.stats.errors.slice(-5);
    if (errors.length) lines.push("  recent API errors:");
    for (const e of errors)
      lines.push(`    ${e.method} ${e.status} ${e.description}${e.chatId !== undefined ? ` (chat ${e.chatId})` : ""}`);
    return lines.join("\n");
  }
}

function chatRef(chatId: unknown): { chatId?: number | string } {
  if (typeof chatId === "number") return { chatId };
  if (typeof chatId === "string" && chatId) return { chatId: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId };
  return {};
}

/** setTimeout that ends early (without error) when the signal aborts; Infinity waits for the abort only. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    signal.addEventListener("abort", done, { once: true });
  });
}

function withUnlimitedListeners(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
