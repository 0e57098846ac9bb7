import type { IncomingMessage, ServerResponse } from "node:http";
import type { Update } from "grammy/types";

/** Telegram's updates are a few kilobytes; anything over this is not one. */
export const MAX_WEBHOOK_BODY_BYTES = 1_000_000;

/** A body over MAX_WEBHOOK_BODY_BYTES: answered 413 and not read further. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor() {
    super(`webhook request body over ${MAX_WEBHOOK_BODY_BYTES} bytes refused (413); Telegram's updates are far smaller`);
  }
}

/** Answers 413 and closes the connection once the answer is out, so that the rest of the body is never read. */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.once("finish", () => req.destroy());
  res.writeHead(413, { connection: "close" }).end();
}

/**
 * grammY's adapter for node:http, with the body counted as it arrives: over the limit, the request is answered 413
 * and the update rejects with a BodyTooLargeError. grammY checks the secret before it asks for the update, so a
 * request without it is refused (401) unread.
 */
export function limitedHttpAdapter(req: IncomingMessage, res: ServerResponse) {
  const sent = req.headers["x-telegram-bot-api-secret-token"];
  const secret = Array.isArray(sent) ? sent[0] : sent;
  return {
    get update() {
      return readJson(req, res);
    },
    ...(secret === undefined ? {} : { header: secret }),
    end: () => res.end(),
    respond: (json: string) => res.writeHead(200, { "content-type": "application/json" }).end(json),
    unauthorized: () => res.writeHead(401).end("secret token is wrong"),
  };
}

function readJson(req: IncomingMessage, res: ServerResponse): Promise<Update> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_WEBHOOK_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      refuseTooLarge(req, res);
      reject(new BodyTooLargeError());
    };
    req
      .on("data", onData)
      .once("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Update);
        } catch {
          reject(new SyntaxError("the webhook request's body is not JSON"));
        }
      })
      .once("error", reject);
  });
}
