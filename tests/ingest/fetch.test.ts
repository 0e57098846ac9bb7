import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { privateKind } from "../../src/ingest/address-guard.js";
import {
  DEFAULT_USER_AGENT,
  FetchError,
  fetchResource as guardedFetch,
  type FetchFailure,
  type FetchOptions,
} from "../../src/ingest/fetch.js";

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title></channel></rss>';
const MB = 1024 * 1024;

let server: Server | undefined;
let requests = 0;

/** The test servers listen on loopback, a private address: the tests of the fetch itself allow it. */
const fetchResource = (url: string, options: FetchOptions = {}) => guardedFetch(url, { allowPrivateAddresses: true, ...options });

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Starts a loopback server for one test and returns its base URL. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  requests = 0;
  server = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>, reason: FetchFailure): Promise<FetchError> {
  const error = await promise.then(
    () => expect.unreachable("the fetch should have failed"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  // A refusal by the address guard names itself, in a feed's last error too.
  expect((error as FetchError).name).toBe(reason === "private-address" ? "PrivateAddressError" : "FetchError");
  expect((error as FetchError).reason).toBe(reason);
  return error as FetchError;
}

/** Writes `total` bytes in 64 KB chunks, honouring backpressure; reports whether all were written. */
function streamBytes(res: ServerResponse, total: number, done: (completed: boolean) => void): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  res.on("close", () => done(sent >= total));
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

describe("fetchResource", () => {
  it("returns the body, validators and final URL of a 200, and introduces itself", async () => {
    let seen: IncomingMessage | undefined;
    const base = await serve((req, res) => {
      seen = req;
      res.writeHead(200, {
        "content-type": "application/rss+xml; charset=utf-8",
        etag: '"v1"',
        "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
      });
      res.end(FEED);
    });
    const result = await fetchResource(`${base}/feed.xml`);
    expect(result).toEqual({
      status: "ok",
      bytes: Buffer.from(FEED),
      contentType: "application/rss+xml; charset=utf-8",
      etag: '"v1"',
      lastModified: "Wed, 01 May 2024 10:00:00 GMT",
      finalUrl: `${base}/feed.xml`,
    });
    expect(seen?.headers["user-agent"]).toBe(DEFAULT_USER_AGENT);
    expect(seen?.headers["accept-encoding"]).toBe("gzip, deflate");
    expect(seen?.headers["if-none-match"]).toBeUndefined();
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
  ])("decompresses a %s-encoded body", async (encoding, compress) => {
    const base = await serve((req, res) => {
      const accepted = String(req.headers["accept-encoding"]);
      if (!accepted.includes(encoding)) return void res.writeHead(406).end();
      const body = compress(Buffer.from(FEED));
      res.writeHead(200, { "content-encoding": encoding, "content-length": body.length }).end(body);
    });
    const result = await fetchResource(`${base}/feed.xml`);
    expect(result.status === "ok" && result.bytes.toString()).toBe(FEED);
  });

  it("sends If-None-Match and If-Modified-Since, and reports 304 as not-modified", async () => {
    const base = await serve((req, res) => {
      const fresh = req.headers["if-none-match"] === '"v1"' && req.headers["if-modified-since"] === "Wed, 01 May 2024 10:00:00 GMT";
      res.writeHead(fresh ? 304 : 200, { etag: '"v1"' }).end(fresh ? undefined : FEED);
    });
    const result = await fetchResource(`${base}/feed.xml`, { etag: '"v1"', lastModified: "Wed, 01 May 2024 10:00:00 GMT" });
    expect(result).toEqual({ status: "not-modified" });
  });

  it.each([
    [404, /^http:\/\/127\.0\.0\.1:\d+\/feed\.xml answered 404 Not Found\. Check the URL or remove the feed\.$/],
    [500, /answered 500 Internal Server Error\. .*tried again/],
    [403, /answered 403 Forbidden\. The site refuses the bot/],
  ])("turns a %i into an http-status FetchError that says what to do", async (status, message) => {
    const base = await serve((_, res) => res.writeHead(status).end("nope"));
    const error = await failure(fetchResource(`${base}/feed.xml`), "http-status");
    expect(error.httpStatus).toBe(status);
    expect(error.message).toMatch(message);
  });

  it("times out a server that never answers", async () => {
    const base = await serve(() => {});
    const error = await failure(fetchResource(`${base}/hang`, { timeoutMs: 300 }), "timeout");
    expect(error.message).toMatch(/did not finish answering within 300 ms/);
  });

  it("times out a body that stalls after the headers (the timeout covers the download)", async () => {
    const base = await serve((_, res) => {
      res.writeHead(200, { "content-type": "text/xml" });
      res.write("<rss>");
    });
    await failure(fetchResource(`${base}/stall`, { timeoutMs: 300 }), "timeout");
  });

  it("refuses a 20 MB body announced by Content-Length before reading it", async () => {
    let completed: boolean | undefined;
    const base = await serve((_, res) => {
      res.writeHead(200, { "content-length": 20 * MB });
      streamBytes(res, 20 * MB, (c) => (completed = c));
    });
    const error = await failure(fetchResource(`${base}/big`, { maxBytes: 5 * MB }), "too-large");
    expect(error.message).toMatch(/larger than 5 MB/);
    await expect.poll(() => completed).toBe(false);
  });

  it("stops reading a 20 MB chunked body once it passes 5 MB", async () => {
    let completed: boolean | undefined;
    const base = await serve((_, res) => {
      res.writeHead(200, { "content-type": "text/xml" });
      streamBytes(res, 20 * MB, (c) => (completed = c));
    });
    await failure(fetchResource(`${base}/big`, { maxBytes: 5 * MB }), "too-large");
    await expect.poll(() => completed).toBe(false);
  });

  it("counts decompressed bytes: a small gzip bomb is refused", async () => {
    const bomb = gzipSync(Buffer.alloc(20 * MB));
    const base = await serve((_, res) => res.writeHead(200, { "content-encoding": "gzip", "content-length": bomb.length }).end(bomb));
    expect(bomb.length).toBeLessThan(MB);
    await failure(fetchResource(`${base}/bomb`, { maxBytes: 5 * MB }), "too-large");
  });

  /** /hop/N redirects to /hop/N-1; /hop/0 is the feed. */
  const redirectChain = (req: IncomingMessage, res: ServerResponse) => {
    const n = Number(req.url?.split("/").pop());
    if (n > 0) return void res.writeHead(302, { location: `/hop/${n - 1}` }).end();
    res.writeHead(200).end(FEED);
  };

  it("follows a chain of 2 redirects and reports the final URL", async () => {
    const base = await serve(redirectChain);
    const result = await fetchResource(`${base}/hop/2`);
    expect(result).toMatchObject({ status: "ok", finalUrl: `${base}/hop/0` });
  });

  it("gives up on a chain of 6 redirects (limit 5)", async () => {
    const base = await serve(redirectChain);
    await expect(fetchResource(`${base}/hop/5`)).resolves.toMatchObject({ status: "ok" });
    const error = await failure(fetchResource(`${base}/hop/6`), "too-many-redirects");
    expect(error.message).toMatch(/redirected more than 5 times/);
  });

  it("resolves a relative Location against the current URL", async () => {
    const base = await serve((req, res) => {
      if (req.url === "/news/old") return void res.writeHead(301, { location: "feed.xml?x=1" }).end();
      if (req.url === "/news/feed.xml?x=1") return void res.writeHead(200).end(FEED);
      res.writeHead(404).end();
    });
    const result = await fetchResource(`${base}/news/old`);
    expect(result).toMatchObject({ status: "ok", finalUrl: `${base}/news/feed.xml?x=1` });
  });

  it.each([
    ["an ftp: URL", "ftp://example.com/feed.xml", /not an http or https address/],
    ["a javascript: URL", "javascript:alert(1)", /not an http or https address/],
    ["a file: URL", "file:///etc/passwd", /not an http or https address/],
    ["not a URL at all", "example dot com", /not a valid URL/],
  ])("refuses %s without any request", async (_, url, message) => {
    const error = await failure(fetchResource(url), "bad-url");
    expect(error.message).toMatch(message);
  });

  it("refuses a redirect to a non-http scheme", async () => {
    const base = await serve((_, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
    await failure(fetchResource(`${base}/evil`), "bad-url");
  });

  it("reports a refused connection as a network failure", async () => {
    const base = await serve(() => {});
    server?.close();
    server = undefined;
    const error = await failure(fetchResource(`${base}/feed.xml`), "network");
    expect(error.message).toMatch(/Could not fetch .*ECONNREFUSED/);
  });

  it("rethrows the caller's own abort, which is not a fetch failure", async () => {
    const base = await serve(() => {});
    const controller = new AbortController();
    const pending = fetchResource(`${base}/hang`, { signal: controller.signal });
    controller.abort(new Error("shutting down"));
    await expect(pending).rejects.toThrow("shutting down");
  });
});

describe("the address guard", () => {
  it.each([
    ["http://127.0.0.1", "loopback"],
    ["http://localhost", "loopback"],
    ["http://[::1]", "loopback"],
    ["http://2130706433", "loopback"],
    ["http://[::ffff:127.0.0.1]", "loopback"],
  ])("refuses %s (%s) without any request, and says why and how to allow it", async (host, kind) => {
    const base = await serve((_, res) => res.writeHead(200).end(FEED));
    const port = new URL(base).port;
    const error = await failure(guardedFetch(`${host}:${port}/feed.xml`), "private-address");
    expect(error.message).toContain(`a ${kind} address, which Newsdesk does not fetch`);
    expect(error.message).toContain("ALLOW_PRIVATE_FEEDS=true");
    expect(requests).toBe(0);
  });

  it("gives the caller's abort, not a DNS answer, when stopped before the name is resolved", async () => {
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    await expect(guardedFetch("http://feeds.example.invalid/rss", { signal: controller.signal })).rejects.toThrow("shutting down");
  });

  it("refuses the cloud metadata address", async () => {
    const error = await failure(guardedFetch("http://169.254.169.254/latest/meta-data/"), "private-address");
    expect(error.message).toMatch(/169\.254\.169\.254, a link-local or cloud-metadata address/);
  });

  it("still refuses link-local and cloud-metadata addresses with ALLOW_PRIVATE_FEEDS, and lets loopback through", async () => {
    const base = await serve((_, res) => res.writeHead(200).end(FEED));
    const allowed = { allowPrivateAddresses: true };
    const error = await failure(fetchResource("http://169.254.169.254/latest/meta-data/", allowed), "private-address");
    expect(error.message).toContain("a link-local or cloud-metadata address");
    expect(error.message).not.toContain("ALLOW_PRIVATE_FEEDS");
    await failure(fetchResource("http://[fe80::1]/feed.xml", allowed), "private-address");
    await failure(fetchResource("http://100.100.100.200/latest/meta-data/", allowed), "private-address");
    expect((await fetchResource(`${base}/feed.xml`, allowed)).status).toBe("ok");
  });

  it.each([
    ["10.1.2.3", "private-network"],
    ["172.31.255.255", "private-network"],
    ["192.168.0.1", "private-network"],
    ["100.100.100.200", "link-local or cloud-metadata"],
    ["169.254.169.254", "link-local or cloud-metadata"],
    ["0.0.0.0", "reserved"],
    ["255.255.255.255", "reserved"],
    ["fe80::1", "link-local or cloud-metadata"],
    ["fd00:ec2::254", "link-local or cloud-metadata"],
    ["fd00::1", "unique-local"],
    ["::", "reserved"],
    ["::ffff:10.0.0.1", "private-network"],
    ["::ffff:a9fe:a9fe", "link-local or cloud-metadata"],
    ["64:ff9b::7f00:1", "loopback"],
    ["2002:c0a8:0101::1", "private-network"],
  ])("counts %s as %s", (address, kind) => {
    expect(privateKind(address)).toBe(kind);
  });

  it.each(["93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("lets the public %s through", (address) => {
    expect(privateKind(address)).toBeUndefined();
  });
});
