import { createServer } from "node:net";

/** A loopback port free a moment ago, for a server the code under test opens itself (the webhook's PORT). */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
