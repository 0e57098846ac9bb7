/**
 * Newsdesk cannot go on (at start, or a part that stopped while running): the process stops with exit 1 so
 * that its supervisor restarts it, and the message is the one line that says why and what to do.
 * Any room may throw one; the app's fatal path prints its message as it is.
 */
export class FatalError extends Error {
  override name = "FatalError";
}
