const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago, the way a news list says it: "just now", "5 min ago", "2 h ago", "3 d ago". */
export function formatAge(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  // A clock ahead of ours (or a bad date) is news that just arrived.
  if (!(ms >= MINUTE)) return "just now";
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / DAY)} d ago`;
}
