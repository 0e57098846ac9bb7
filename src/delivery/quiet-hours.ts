import type { QuietHours } from "../config/index.js";
import { wallTime } from "../schedule/next-tick.js";

/** Whether an instant falls in the daily quiet window, read on the wall clock of `timeZone`. */
export function isQuietTime(at: number, quietHours: QuietHours, timeZone: string): boolean {
  const { hour, minute } = wallTime(at, timeZone);
  const minuteOfDay = hour * 60 + minute;
  const { from, to } = quietHours;
  // A window like 23:00-07:00 spans midnight: quiet from `from` on, or before `to`.
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}
