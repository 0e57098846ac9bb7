import { GrammyError, HttpError, type Api } from "grammy";
import type { Document } from "grammy/types";
import type { TemplateValues } from "../format/templates.js";
import { decodeBody } from "../ingest/decode.js";
import type { BotServices } from "./context.js";

/** What the desk reads from an admin's file (an OPML list, a .txt article): far more than either needs, far less than 20 MB. */
const DOCUMENT_MAX_BYTES = 1024 * 1024;
/** The whole download, getFile included. */
const DOCUMENT_TIMEOUT_MS = 30_000;

/** Where files come from: the bot's Api for getFile, and the Bot API server's file route (apiRoot/file/bot<token>/<path>). */
export interface DocumentSource {
  api: Api;
  apiRoot: string;
  token: string;
}

/** A file the admin sent cannot be read. `reason` is for code (the desk picks its template); the message never holds the token. */
export class DocumentError extends Error {
  override name = "DocumentError";
  constructor(
    readonly reason: "too-large" | "download-failed",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Downloads a document a user sent and decodes it as text (BOM, then the charset its mime type or its XML declaration
 * names, else UTF-8). Refuses files over DOCUMENT_MAX_BYTES before downloading them when getFile says their size, and while
 * reading otherwise; getFile itself refuses files over 20 MB. Throws DocumentError. The file URL holds the bot token:
 * it is never put in an error or a log.
 */
export async function readDocument(document: Document, source: DocumentSource): Promise<string> {
  const tooLarge = () => new DocumentError("too-large", `${document.file_name ?? "the file"} is larger than ${DOCUMENT_MAX_BYTES} bytes`);
  const signal = AbortSignal.timeout(DOCUMENT_TIMEOUT_MS);
  let file;
  try {
    file = await source.api.getFile(document.file_id, signal as Parameters<Api["getFile"]>[1]);
  } catch (error) {
    // The Bot API serves bots files of up to 20 MB only.
    if (error instanceof GrammyError && /file is too big/i.test(error.description)) throw tooLarge();
    if (error instanceof GrammyError || error instanceof HttpError) {
      throw new DocumentError("download-failed", `getFile failed: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if ((file.file_size ?? 0) > DOCUMENT_MAX_BYTES) throw tooLarge();
  if (file.file_path === undefined) throw new DocumentError("download-failed", "getFile gave no file_path");
  const bytes = await download(`${source.apiRoot}/file/bot${source.token}/${file.file_path}`, DOCUMENT_MAX_BYTES, signal, tooLarge);
  return decodeBody(bytes, document.mime_type);
}

async function download(url: string, maxBytes: number, signal: AbortSignal, tooLarge: () => DocumentError): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    // undici's errors name the host at most, never the path with the token; the cause is dropped all the same.
    throw new DocumentError("download-failed", `the file download failed (${signal.aborted ? "timeout" : errorCode(error)})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DocumentError("download-failed", `the file download answered ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new DocumentError("download-failed", `the file download broke off (${signal.aborted ? "timeout" : errorCode(error)})`);
  }
  return Buffer.concat(chunks, total);
}

function errorCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  return cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.name) : "unknown error";
}

/** The bot's own source of files. */
export function documentSource(services: BotServices, api: Api): DocumentSource {
  return { api, apiRoot: services.config.apiRoot, token: services.config.botToken };
}

/** An article as a file: .txt, or text/plain whatever its name. */
export function isTextFile(document: Document): boolean {
  return /\.txt$/i.test(document.file_name ?? "") || document.mime_type === "text/plain";
}

/** A subscription list: .opml or .xml (its root is checked when read), or an OPML or XML mime type. */
export function isOpmlFile(document: Document): boolean {
  return /\.(opml|xml)$/i.test(document.file_name ?? "") || /opml|[/+]xml$/i.test(document.mime_type ?? "");
}

/** The answer's values (templates/document-unreadable.html) for a file that could not be read. */
export function unreadable(error: DocumentError): TemplateValues<"document-unreadable"> {
  return error.reason === "too-large" ? { tooLarge: true, max: `${DOCUMENT_MAX_BYTES / (1024 * 1024)} MB` } : { downloadFailed: true };
}
