import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: string;
  /** Values that must never reach a log line, such as the bot token. */
  secrets: string[];
  destination?: DestinationStream;
}

/**
 * pino with the secrets scrubbed from every message and field. grammY and fetch errors can carry
 * request URLs, and Bot API URLs contain the token.
 */
export function createLogger({ level, secrets, destination }: LoggerOptions): Logger {
  const scrub = makeScrubber(secrets);
  return pino(
    {
      level,
      // null, not undefined, is pino's documented "no pid or hostname on each line".
      base: null,
      // Errors are serialized (message, stack, cause) and scrubbed here, in one place, wherever they sit in the object.
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      // pino's own err serializer would run again on the already serialized error and call it an "Object".
      serializers: { err: (value: unknown) => value },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? (scrub(arg) as string) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

function makeScrubber(secrets: string[]) {
  const needles = secrets.filter((secret) => secret.length >= 6);
  const scrubString = (text: string) => needles.reduce((out, secret) => out.split(secret).join("[secret]"), text);
  const scrub = (value: unknown, depth = 0): unknown => {
    if (typeof value === "string") return scrubString(value);
    if (value instanceof Error) return scrub(pino.stdSerializers.err(value), depth);
    if (value instanceof Date) return value.toISOString();
    if (value === null || typeof value !== "object") return value;
    if (depth > 8) return "[too deep]";
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrub(item, depth + 1);
    return out;
  };
  return scrub;
}
