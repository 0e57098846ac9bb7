import { systemClock } from "../clock.js";
import type { FatalError } from "../fatal-error.js";
import { runTerminalChat } from "./terminal-chat.js";
import { startSandboxWorld, type SandboxWorld } from "./world.js";

/**
 * `npm run sandbox`: the real bot, offline, with the terminal as its chat. It reads no .env and needs no token.
 * Exits 0 at the end of input (or Ctrl+C, SIGTERM) once everything it started has stopped and its temporary
 * folder is gone; 1 when it cannot start or a part of the app cannot go on.
 */
const stopping = new AbortController();
let exitCode = 0;
/** The same promise as npm start's: whatever hangs, the process ends within 10 s of the end of input or a signal. */
const exitAnyway = (): void => {
  setTimeout(() => {
    process.stderr.write("The sandbox took longer than 10 s to stop; exiting anyway.\n");
    process.exit(1);
  }, 10_000).unref();
};
const stop = (code: number): void => {
  if (stopping.signal.aborted) return;
  exitCode = code;
  stopping.abort();
  exitAnyway();
};
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => stop(0));
const onFatal = (error: FatalError): void => {
  process.stderr.write(`The sandbox stops: ${error.message}\n`);
  stop(1);
};

process.stdout.write("Starting the offline sandbox…\n");
let world: SandboxWorld;
try {
  world = await startSandboxWorld({ onFatal, signal: stopping.signal });
} catch (error) {
  if (stopping.signal.aborted) process.exit(exitCode);
  process.stderr.write(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(`Temporary database and log: ${world.dir} (removed at exit)\n\n`);

await runTerminalChat(world, {
  input: process.stdin,
  output: process.stdout,
  interactive: process.stdin.isTTY === true,
  signal: stopping.signal,
  clock: systemClock,
});
if (!stopping.signal.aborted) exitAnyway();
await world.stop();
process.exit(exitCode);
