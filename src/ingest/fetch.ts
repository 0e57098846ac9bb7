import { STATUS_CODES } from "node:http";
import { FETCH_DEFAULTS } from "../config/defaults.js";
import { ALWAYS_REFUSED, findPrivateAddress, type PrivateKind } from "./address-guard.js";

/** Identifies the bot to publishers, so that they can reach us instead of blocking us. */
export const DEFAULT_USER_AGENT = "NewsdeskBot/0.1 (+https://github.com/newsdesk)";

export interface FetchOptions {
  /** Covers the whole download: every redirect hop and the body. Default: FEED_TIMEOUT_MS's. */
  timeoutMs?: number;
  /** Decompressed body size cap. Default: FEED_MAX_BYTES's. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Validators from the previous fetch, for a conditional request; undefined when it sent none. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  /**
   * Fetch loopback, private-network, unique-local and reserved addresses too; link-local and cloud-metadata ones stay
   * refused (ALWAYS_REFUSED). Only for the operator's own FEEDS and ALLOW_PRIVATE_FEEDS=true: anything an admin or a
   * feed's content names is guarded.
   */
  allowPrivateAddresses?: boolean;
  /** The caller's own cancellation; its abort reason is rethrown as is (that is not a fetch failure). */
  signal?: AbortSignal;
}

/**
 * The fetch limits and guard for what an admin or a feed's content names (/addfeed, OPML imports, pasted links,
 * article pages), from the ingest settings: the address guard applies unless ALLOW_PRIVATE_FEEDS is set.
 */
export function guardedFetchOptions(settings: {
  timeoutMs: number;
  maxBytes: number;
  allowPrivateFeeds: boolean;
}): Pick<FetchOptions, "timeoutMs" | "maxBytes" | "allowPrivateAddresses"> {
  return { timeoutMs: settings.timeoutMs, maxBytes: settings.maxBytes, allowPrivateAddresses: settings.allowPrivateFeeds };
}

export type FetchResult =
  | {
      status: "ok";
      bytes: Buffer;
      /** Response headers, undefined when the server sent none. */
      contentType?: string | undefined;
      etag?: string | undefined;
      lastModified?: string | undefined;
      /** The URL after redirects. */
      finalUrl: string;
    }
  | { status: "not-modified" };

export type FetchFailure = "timeout" | "too-large" | "too-many-redirects" | "http-status" | "network" | "bad-url" | "private-address";

/** A fetch failed. `reason` is for code, the message is for the admin and says what to do next. */
export class FetchError extends Error {
  override name = "FetchError";
  constructor(
    readonly reason: FetchFailure,
    readonly url: string,
    message: string,
    readonly httpStatus?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The address guard refused a hop: which address, of what kind, and on which hop, for a caller that words its own
 * refusal. A FetchError with reason "private-address"; its own name shows in a feed's last error ("PrivateAddressError: …").
 */
/** A refused address as a refusal for a report or a dialog's state (JSON): `redirectedTo` when a redirect led there. */
export interface PrivateAddressRefusal {
  reason: "private-address";
  address: string;
  kind: PrivateKind;
  redirectedTo?: string;
}

export class PrivateAddressError extends FetchError {
  override name = "PrivateAddressError";
  constructor(
    url: string,
    /** The refused hop: `url` itself, or where it redirected. */
    readonly hop: string,
    readonly address: string,
    readonly kind: PrivateKind,
  ) {
    const where = hop === url ? url : `${url} (redirected to ${hop})`;
    super(
      "private-address",
      url,
      `${where} leads to ${address}, a ${kind} address, which Newsdesk does not fetch. ` +
        (kind === ALWAYS_REFUSED
          ? "Use the feed's public address."
          : "Use the feed's public address; for a feed on your own network, set ALLOW_PRIVATE_FEEDS=true."),
    );
  }

  get refusal(): PrivateAddressRefusal {
    const { address, kind } = this;
    return { reason: "private-address", address, kind, ...(this.hop === this.url ? {} : { redirectedTo: this.hop }) };
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, " +
  "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5";

/** Fetches a feed or an article page over http(s) with size, time and redirect limits. */
export async function fetchResource(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const { timeoutMs = FETCH_DEFAULTS.timeoutMs, maxBytes = FETCH_DEFAULTS.maxBytes, maxRedirects = 5 } = options;
  let current = parseHttpUrl(url);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;

  try {
    for (let redirects = 0; ; redirects++) {
      await refusePrivate(current, url, signal, options.allowPrivateAddresses === true);
      const response = await fetch(current, { redirect: "manual", signal, headers: requestHeaders(options) });
      const location = response.headers.get("location");
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        await response.body?.cancel();
        if (redirects >= maxRedirects) {
          throw new FetchError(
            "too-many-redirects",
            url,
            `${url} redirected more than ${maxRedirects} times. Open it in a browser and use the address it ends on.`,
          );
        }
        current = parseHttpUrl(location, current);
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: "not-modified" };
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel();
        throw httpStatusError(current.href, response);
      }
      const bytes = await readCapped(response, maxBytes, current.href);
      return {
        status: "ok",
        bytes,
        contentType: response.headers.get("content-type") ?? undefined,
        etag: response.headers.get("etag") ?? undefined,
        lastModified: response.headers.get("last-modified") ?? undefined,
        finalUrl: current.href,
      };
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (timeout.aborted) {
      throw new FetchError(
        "timeout",
        url,
        `${url} did not finish answering within ${timeoutMs} ms. The site may be slow or down; it will be tried again on the next poll.`,
        undefined,
        { cause: error },
      );
    }
    if (options.signal?.aborted) throw error;
    throw new FetchError(
      "network",
      url,
      `Could not fetch ${url} (${networkCause(error)}). Check the address; if it is right, the site may be down and will be tried again.`,
      undefined,
      { cause: error },
    );
  }
}

/**
 * Checked right before every hop, on what the resolver answers then. What is left: undici resolves the name
 * again to connect, so a name whose DNS changes within those milliseconds (rebinding with TTL 0) could still
 * reach a private address; closing that needs undici's Agent with a checking connect.lookup (the undici package).
 */
async function refusePrivate(hop: URL, url: string, signal: AbortSignal, allowPrivateNetworks: boolean): Promise<void> {
  const found = await untilAborted(() => findPrivateAddress(hop, { allowPrivateNetworks }), signal);
  if (!found) return;
  throw new PrivateAddressError(url, hop.href, found.address, found.kind);
}

/** The system resolver takes no signal: a slow DNS answer must not outlast the fetch's timeout or a stop. */
function untilAborted<T>(start: () => Promise<T>, signal: AbortSignal): Promise<T> {
  // Checked before the work starts: a lookup begun after a stop would reject with nobody listening.
  signal.throwIfAborted();
  const promise = start();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", onAbort));
}

function parseHttpUrl(raw: string, base?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw, base);
  } catch {
    throw new FetchError("bad-url", raw, `"${raw}" is not a valid URL. Give a full address starting with https://.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    const where = base ? ` (redirected to from ${base.href})` : "";
    throw new FetchError(
      "bad-url",
      raw,
      `"${parsed.href}"${where} is not an http or https address. Only web addresses can be fetched; give one starting with https://.`,
    );
  }
  return parsed;
}

function requestHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": options.userAgent ?? DEFAULT_USER_AGENT,
    accept: ACCEPT,
    // undici decompresses these itself; brotli is left out to keep the accepted set small and tested.
    "accept-encoding": "gzip, deflate",
  };
  if (options.etag) headers["if-none-match"] = options.etag;
  if (options.lastModified) headers["if-modified-since"] = options.lastModified;
  return headers;
}

function httpStatusError(url: string, response: Response): FetchError {
  const status = response.status;
  const text = response.statusText || STATUS_CODES[status] || "";
  const hint =
    status === 404 || status === 410
      ? "Check the URL or remove the feed."
      : status === 401 || status === 403
        ? "The site refuses the bot: check that the address needs no login, or ask the publisher to allow NewsdeskBot."
        : status === 429
          ? "The site asks us to slow down: poll it less often."
          : status >= 500
            ? "The site has a server problem; it will be tried again on the next poll."
            : "Check the URL in a browser.";
  return new FetchError("http-status", url, `${url} answered ${status} ${text}`.trimEnd() + `. ${hint}`, status);
}

/** Reads the (already decompressed) body, refusing it as soon as it passes maxBytes. */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<Buffer> {
  const tooLarge = () =>
    new FetchError(
      "too-large",
      url,
      `${url} is larger than ${formatBytes(maxBytes)}, the download limit. Use a feed that lists fewer items, or raise FEED_MAX_BYTES.`,
    );
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function networkCause(error: unknown): string {
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return String(cause);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB` : `${bytes} bytes`;
}
