import cron from "node-cron";

/** A weekday on 29 February comes back within 28 years: past that, the expression never fires. */
const MAX_DAYS = 366 * 28;
const HOUR_MS = 3_600_000;

interface Day {
  year: number;
  month: number;
  day: number;
}
interface LocalTime extends Day {
  hour: number;
  minute: number;
  second: number;
}

/**
 * The first instant (epoch ms) after `after` at which a node-cron expression (5 fields, or 6 with seconds
 * first) fires in `timeZone`, with node-cron's meaning: day of month AND day of week, L, W and # included,
 * a local time skipped by a DST change does not fire, a repeated one fires at its first occurrence after
 * `after`. Walks days, not seconds: about a millisecond (a per-second expression on a DST day: under 100).
 * Undefined when it does not fire within 28 years (node-cron refuses the expressions that never could).
 */
export function nextCronTick(expression: string, after: number, timeZone: string): number | undefined {
  const fields = cron.parse(expression);
  const [seconds, minutes, hours] = [fields.second, fields.minute, fields.hour].map((values) => [...values].sort((a, b) => a - b)) as [
    number[],
    number[],
    number[],
  ];
  const start = localTime(after, timeZone);
  const startSecond = secondOfDay(start);
  let day: Day = start;
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(day)) {
    if (!fields.month.includes(day.month) || !matchesDayOfMonth(fields.dayOfMonth, day) || !matchesDayOfWeek(fields.dayOfWeek, day)) {
      continue;
    }
    // Most days keep one UTC offset: local order is time order, and each local time is one instant.
    const offsets = offsetsOn(day, timeZone);
    const offset = offsets.length === 1 ? offsets[0] : undefined;
    // On the first day, earlier times are skipped by arithmetic alone (on a DST day, with an hour's margin).
    const skipUpTo = i > 0 ? -1 : offset === undefined ? startSecond - 3601 : startSecond;
    for (const hour of hours) {
      if (hour * 3600 + 3599 <= skipUpTo) continue;
      for (const minute of minutes) {
        if (hour * 3600 + minute * 60 + 59 <= skipUpTo) continue;
        for (const second of seconds) {
          if (hour * 3600 + minute * 60 + second <= skipUpTo) continue;
          const local = { ...day, hour, minute, second };
          const at = offset === undefined ? instantsOf(local, offsets, timeZone).find((t) => t > after) : asUtc(local) - offset;
          if (at !== undefined) return at;
        }
      }
    }
  }
  return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(epochMs: number, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute"), second: part("second") };
}

const asUtc = (t: LocalTime) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
const secondOfDay = (t: LocalTime) => t.hour * 3600 + t.minute * 60 + t.second;
const offsetAt = (epochMs: number, timeZone: string) => asUtc(localTime(epochMs, timeZone)) - epochMs;

/** The zone's UTC offsets around that day: one, or two when it changes that day (DST). */
function offsetsOn(day: Day, timeZone: string): number[] {
  const midnight = asUtc({ ...day, hour: 0, minute: 0, second: 0 });
  return [...new Set([offsetAt(midnight - 12 * HOUR_MS, timeZone), offsetAt(midnight + 36 * HOUR_MS, timeZone)])];
}

/** The instants that read as `local` in the zone, earliest first: none in a DST gap, two in a repeated hour. */
function instantsOf(local: LocalTime, offsets: readonly number[], timeZone: string): number[] {
  const guess = asUtc(local);
  return offsets
    .map((offset) => guess - offset)
    .filter((t) => asUtc(localTime(t, timeZone)) === guess)
    .sort((a, b) => a - b);
}

function nextDay({ year, month, day }: Day): Day {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekdayOf = ({ year, month, day }: Day) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** Numbers, L (last day), L-n (n days before it), nW and LW (the weekday nearest to that day, within the month). */
function matchesDayOfMonth(values: readonly (number | string)[], date: Day): boolean {
  const last = daysInMonth(date.year, date.month);
  return values.some((value) => {
    if (typeof value === "number") return value === date.day;
    if (value === "L") return date.day === last;
    const before = /^L-(\d{1,2})$/.exec(value);
    if (before) return date.day === last - Number(before[1]);
    const weekday = /^(\d{1,2}|L)W$/.exec(value);
    return weekday !== null && nearestWeekday(date, weekday[1] === "L" ? last : Number(weekday[1]), last) === date.day;
  });
}

function nearestWeekday(date: Day, target: number, last: number): number | undefined {
  if (target < 1 || target > last) return undefined;
  const weekday = weekdayOf({ ...date, day: target });
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

/** Numbers (0 = Sunday), nL (the month's last such weekday), n#k (its k-th). */
function matchesDayOfWeek(values: readonly (number | string)[], date: Day): boolean {
  const weekday = weekdayOf(date);
  return values.some((value) => {
    if (typeof value === "number") return value === weekday;
    const lastOf = /^([0-7])L$/i.exec(value);
    if (lastOf) return Number(lastOf[1]) % 7 === weekday && date.day + 7 > daysInMonth(date.year, date.month);
    const nth = /^([0-7])#([1-5])$/.exec(value);
    return nth !== null && Number(nth[1]) % 7 === weekday && Math.ceil(date.day / 7) === Number(nth[2]);
  });
}
