// Time for people in a London control room. The server speaks UTC ISO-8601
// with microseconds ("2025-03-30T01:00:00.123456Z"); the screen shows
// Europe/London wall-clock time (GMT in winter, BST in summer) and adds the
// date whenever it is not today in London.

const kZone = 'Europe/London';

/**
 * Milliseconds since the epoch for an ISO-8601 time, or NaN. Fractions past
 * milliseconds are dropped: the Date parser is only required to accept three
 * digits.
 */
export function parseIso(iso: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return Number.NaN;
  const frac = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  return Date.parse(`${m[1]}${frac}${m[3]}`);
}

export interface LondonParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string; // "Mon"
  monthName: string; // "Jan"
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: kZone,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
});
const monthFormat = new Intl.DateTimeFormat('en-GB', { timeZone: kZone, month: 'short' });

/** The wall-clock fields of an instant in London. */
export function londonParts(ms: number): LondonParts {
  const get: Record<string, string> = {};
  for (const p of partsFormat.formatToParts(ms)) get[p.type] = p.value;
  return {
    year: Number(get.year),
    month: Number(get.month),
    day: Number(get.day),
    hour: Number(get.hour) % 24,
    minute: Number(get.minute),
    second: Number(get.second),
    weekday: get.weekday,
    monthName: monthFormat.format(ms),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The London day of an instant for people: "Wed 31 Mar 2027". */
export function londonDayText(ms: number): string {
  const p = londonParts(ms);
  return `${p.weekday} ${p.day} ${p.monthName} ${p.year}`;
}

/** A calendar date ("2027-03-31", no time or zone) for people: "Wed 31 Mar 2027"; anything else as it is. */
export function formatDay(date: string | null | undefined): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date);
  if (!m) return date;
  return londonDayText(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
}

/** "HH:MM:SS" in London. */
export function formatClock(ms: number): string {
  const p = londonParts(ms);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

export interface FormatTimeOptions {
  seconds?: boolean;
  /** Give the date even when it is today (for lists that span several days). */
  withDate?: boolean;
}

/**
 * A time as London shows it: "14:05" today, "Sat 4 Jan 14:05" on another day
 * this year, "4 Jan 2024 14:05" in another year ("Sat 4 Jan 14:05" today too
 * with `withDate`). "—" for a missing or unreadable time.
 */
export function formatTime(
  when: string | number | null | undefined,
  nowMs: number,
  options: FormatTimeOptions = {},
): string {
  if (when === null || when === undefined) return '—';
  const ms = typeof when === 'number' ? when : parseIso(when);
  if (!Number.isFinite(ms)) return '—';
  const p = londonParts(ms);
  const today = londonParts(nowMs);
  const clock = options.seconds
    ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
    : `${pad(p.hour)}:${pad(p.minute)}`;
  if (!options.withDate && p.year === today.year && p.month === today.month && p.day === today.day) return clock;
  if (p.year === today.year) return `${p.weekday} ${p.day} ${p.monthName} ${clock}`;
  return `${p.day} ${p.monthName} ${p.year} ${clock}`;
}

/** A duration for a glance: "40 s", "12 min", "1 h 05 min", "2 d 3 h". */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${pad(min % 60)} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Whole minutes for a glance: "45 min"; past an hour "38 h 50 min" (not "2330 min"). */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${pad(m % 60)} min`;
}

/** How old a location fix is: "fix 2 min ago", "no fix". */
export function formatFixAge(fixedAt: string | null | undefined, nowMs: number): string {
  if (!fixedAt) return 'no fix';
  const ms = parseIso(fixedAt);
  if (!Number.isFinite(ms)) return 'no fix';
  const age = nowMs - ms;
  if (age < 5000) return 'fix just now';
  return `fix ${formatDuration(age)} ago`;
}

/** A fix older than this is shown as stale. */
export const kStaleFixMs = 5 * 60 * 1000;

export function isStaleFix(fixedAt: string | null | undefined, nowMs: number): boolean {
  if (!fixedAt) return true;
  const ms = parseIso(fixedAt);
  return !Number.isFinite(ms) || nowMs - ms > kStaleFixMs;
}

export interface TargetState {
  overdue: boolean;
  /** "in 12 min", "overdue 3 min", or "no target". */
  text: string;
}

export function targetState(targetAt: string | null, nowMs: number): TargetState {
  if (!targetAt) return { overdue: false, text: 'no target' };
  const ms = parseIso(targetAt);
  if (!Number.isFinite(ms)) return { overdue: false, text: 'no target' };
  const left = ms - nowMs;
  if (left < 0) return { overdue: true, text: `overdue ${formatDuration(-left)}` };
  return { overdue: false, text: `in ${formatDuration(left)}` };
}
