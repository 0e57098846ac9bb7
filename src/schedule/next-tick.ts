import cron, { type ParsedFields } from "node-cron";

/** node-cron gives up after 100 years too; a leap day on a given weekday comes back every 28. */
const SEARCH_YEARS = 100;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The first tick of a cron expression (5 fields, or 6 with seconds first) strictly after `after`, in `timeZone`,
 * as node-cron fires it: a local time that a DST change skips does not fire, and one that it repeats fires once,
 * at the instant node-cron picks. Undefined when there is none within 100 years.
 *
 * node-cron computes this only after "now", so the search is ours: months, days and times are taken from the
 * parsed fields, whole months and days are skipped, and node-cron's own `match` has the last word on a day
 * (it alone knows L, W and #).
 */
export function nextTick(expression: string, timeZone: string, after: Date): Date | undefined {
  const fields = cron.parse(expression);
  const matcher = cron.createTask(expression, () => undefined, { timezone: timeZone });
  void matcher.destroy(); // never started: it is only asked whether a date matches
  const times = { hours: ascending(fields.hour), minutes: ascending(fields.minute), seconds: ascending(fields.second) };
  const from = wallTime(after.getTime(), timeZone);
  let { year, month } = from;
  let day = from.day;
  while (year <= from.year + SEARCH_YEARS) {
    if (!fields.month.includes(month) || day > daysInMonth(year, month)) {
      ({ year, month } = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 });
      day = 1;
      continue;
    }
    if (mayMatchDay(fields, year, month, day)) {
      const isFirstDay = year === from.year && month === from.month && day === from.day;
      const tick = firstTimeOnDay({ year, month, day }, times, timeZone, isFirstDay ? from : undefined, after.getTime());
      if (tick !== undefined && matcher.match(tick)) return tick;
    }
    day++;
  }
  return undefined;
}

/** A cheap filter on plain day numbers; a field with L, W or # passes, and `match` decides. */
function mayMatchDay(fields: ParsedFields, year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const allows = (values: (number | string)[], value: number) => values.some((v) => typeof v === "string") || values.includes(value);
  return allows(fields.dayOfMonth, day) && allows(fields.dayOfWeek, weekday);
}

/** The cron's earliest time on that day that fires after `afterMs` and, on the first day, is later than `from`. */
function firstTimeOnDay(
  date: Pick<WallTime, "year" | "month" | "day">,
  times: { hours: number[]; minutes: number[]; seconds: number[] },
  timeZone: string,
  from: WallTime | undefined,
  afterMs: number,
): Date | undefined {
  const fromSecondOfDay = from ? from.hour * 3600 + from.minute * 60 + from.second : -1;
  for (const hour of times.hours) {
    if (from && hour < from.hour) continue;
    for (const minute of times.minutes) {
      if (from && hour === from.hour && minute < from.minute) continue;
      for (const second of times.seconds) {
        if (hour * 3600 + minute * 60 + second <= fromSecondOfDay) continue;
        const instant = instantOf({ ...date, hour, minute, second }, timeZone, afterMs);
        if (instant !== undefined) return new Date(instant);
      }
    }
  }
  return undefined;
}

/**
 * The instant at which node-cron fires for `wall` in the zone, if after `afterMs`: none in a DST gap; in a repeated
 * hour, the instant node-cron picks (its guess from the offset at that wall time read as UTC), so that catch-up and
 * the running schedule agree on every tick.
 */
function instantOf(wall: WallTime, timeZone: string, afterMs: number): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const firstGuess = asUtc - offsetMs(asUtc, timeZone);
  const secondGuess = asUtc - offsetMs(firstGuess, timeZone);
  const instant = [firstGuess, secondGuess].find((guess) => sameWallTime(wallTime(guess, timeZone), wall));
  return instant !== undefined && instant > afterMs ? instant : undefined;
}

/** How far the zone's local time is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  const wall = wallTime(instant, timeZone);
  const wholeSecond = instant - (((instant % 1000) + 1000) % 1000);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - wholeSecond;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a zone. */
export function wallTime(instant: number, timeZone: string): WallTime {
  let format = formatters.get(timeZone);
  if (!format) {
    const numeric = "numeric" as const;
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: numeric,
      month: numeric,
      day: numeric,
      hour: numeric,
      minute: numeric,
      second: numeric,
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ascending(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
