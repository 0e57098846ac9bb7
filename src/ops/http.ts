import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { FatalError } from "../fatal-error.js";
import type { Logger } from "../logger.js";
import type { HealthReport } from "./health.js";

/** Answers GET /healthz and GET /metrics; false for any other request, which the caller answers. */
export type OpsRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

const OPS_PATHS: ReadonlySet<string> = new Set(["/healthz", "/metrics"]);

export function opsRoutes(health: () => Promise<HealthReport>, registry: Registry, logger: Logger): OpsRoutes {
  const answer = async (path: string, res: ServerResponse): Promise<void> => {
    if (path === "/healthz") {
      const report = await health();
      res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(report));
    } else {
      const text = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType }).end(text);
    }
  };
  return (req, res) => {
    const path = pathOf(req);
    if (req.method !== "GET" || !OPS_PATHS.has(path)) return false;
    answer(path, res).catch((error: unknown) => {
      logger.warn({ err: error, path }, "could not answer a health or metrics request");
      if (!res.headersSent) res.writeHead(503, { "content-type": "text/plain" }).end("unavailable\n");
    });
    return true;
  };
}

/** What a server answers to a request it does not serve: 405 on /healthz and /metrics (they take GET only), else 404. */
export function refuseUnserved(req: IncomingMessage, res: ServerResponse): void {
  if (OPS_PATHS.has(pathOf(req))) res.writeHead(405, { allow: "GET" }).end();
  else res.writeHead(404).end();
}

/** The request's path, without the query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}

/**
 * Polling mode's own server for /healthz and /metrics (HEALTH_PORT): everything else is 404, or 405 on those paths.
 * Rejects when it cannot listen; it holds no update, so stopping closes it at once.
 */
export async function startOpsServer(
  where: { host: string; port: number },
  routes: OpsRoutes,
  logger: Logger,
  onFatal: (error: Error) => void,
): Promise<{ stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (!routes(req, res)) refuseUnserved(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new FatalError(`Cannot listen on HEALTH_PORT ${where.port} (${where.host}): ${error.message}. Choose a free port.`, {
          cause: error,
        }),
      ),
    );
    server.listen(where.port, where.host, resolve);
  });
  logger.info(where, "serving /healthz and /metrics");
  let stopping = false;
  server.on("error", (error) => {
    if (!stopping) onFatal(error);
  });
  return {
    async stop() {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
