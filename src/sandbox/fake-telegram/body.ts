import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./errors.js";

/** A file sent as a multipart part; the method fields refer to it by name ("attach://<name>") or hold it directly. */
export interface UploadedFile {
  kind: "upload";
  filename: string;
  contentType: string;
  data: Buffer;
}

export type Params = Record<string, unknown>;

/** Telegram's own cap on uploads through the cloud Bot API is 50 MB. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * Reads the parameters of one Bot API call. Like Telegram, it merges the query string with the body and
 * accepts JSON, urlencoded and multipart bodies.
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of url.searchParams) params[key] = formValue(value, key);
  if (req.method === "GET" || req.method === "HEAD") return params;

  const body = await readBody(req);
  if (body.length === 0) return params;
  const contentType = req.headers["content-type"] ?? "";
  const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";

  if (mime === "application/json") return { ...params, ...parseJsonObject(body) };
  if (mime === "application/x-www-form-urlencoded") {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = formValue(value, key);
    return params;
  }
  if (mime === "multipart/form-data") {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const name = boundary?.[1] ?? boundary?.[2];
    if (!name) throw badRequest("can't parse multipart/form-data: no boundary");
    return { ...params, ...parseMultipart(body, name) };
  }
  // Telegram ignores bodies it can't interpret rather than failing the call.
  return params;
}

/** Fields that are strings by type: never JSON-decoded, so a text like "[1, 2]" stays text. */
const STRING_FIELDS = new Set(["text", "caption", "title", "description", "url", "data", "query", "secret_token"]);

/** Form fields are strings; Telegram JSON-decodes those that hold objects or arrays (reply_markup, entities, ...). */
export function formValue(value: string, key = ""): unknown {
  if (STRING_FIELDS.has(key)) return value;
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Request Entity Too Large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function parseJsonObject(body: Buffer): Params {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("JSON object expected");
  }
  return value as Params;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** Minimal RFC 7578 parser; tolerant of grammY's compact headers ("content-disposition:form-data;name=..."). */
export function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // "--" closes the body
    if (body.subarray(start, start + 2).equals(CRLF)) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // The CRLF before a delimiter belongs to the delimiter, not to the part's content.
    const end = next >= 2 && body.subarray(next - 2, next).equals(CRLF) ? next - 2 : next;
    addPart(params, body.subarray(start, end));
    pos = next;
  }
  return params;
}

function addPart(params: Params, part: Buffer): void {
  const headerEnd = part.indexOf(HEADER_END);
  if (headerEnd === -1) return;
  const headers = part.subarray(0, headerEnd).toString("utf8");
  const data = part.subarray(headerEnd + HEADER_END.length);
  const disposition = /content-disposition:\s*([^\r\n]*)/i.exec(headers)?.[1] ?? "";
  const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) return;
  const filename = /filename=(?:"([^"]*)"|([^;]*))/i.exec(disposition);
  if (filename) {
    params[name] = {
      kind: "upload",
      filename: (filename[1] ?? filename[2] ?? "").trim(),
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? "application/octet-stream",
      data: Buffer.from(data),
    } satisfies UploadedFile;
  } else {
    params[name] = formValue(data.toString("utf8"), name);
  }
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  if (typeof value !== "object" || value === null) return false;
  const file = value as Partial<UploadedFile>;
  return file.kind === "upload" && Buffer.isBuffer(file.data);
}
