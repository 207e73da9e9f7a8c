import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatDay,
  formatDuration,
  formatFixAge,
  formatMinutes,
  formatTime,
  isStaleFix,
  parseIso,
  targetState,
} from './time';

const at = (iso: string) => Date.parse(iso);

describe('parseIso', () => {
  it('reads the server format with microseconds', () => {
    expect(parseIso('2025-01-04T14:05:09.123456Z')).toBe(Date.UTC(2025, 0, 4, 14, 5, 9, 123));
  });
  it('reads times without a fraction and with an offset', () => {
    expect(parseIso('2025-01-04T14:05:09Z')).toBe(Date.UTC(2025, 0, 4, 14, 5, 9));
    expect(parseIso('2025-07-04T14:05:09.5+01:00')).toBe(Date.UTC(2025, 6, 4, 13, 5, 9, 500));
  });
  it('gives NaN for anything else', () => {
    expect(parseIso('yesterday')).toBeNaN();
    expect(parseIso('')).toBeNaN();
  });
});

describe('formatTime in Europe/London', () => {
  it('shows GMT wall-clock time in winter, without a date today', () => {
    expect(formatTime('2025-01-04T14:05:09.123456Z', at('2025-01-04T18:00:00Z'))).toBe('14:05');
  });
  it('shows BST (UTC+1) in summer', () => {
    expect(formatTime('2025-07-04T11:05:00.000000Z', at('2025-07-04T12:00:00Z'))).toBe('12:05');
  });
  it('adds seconds when asked', () => {
    expect(formatTime('2025-01-04T14:05:09Z', at('2025-01-04T18:00:00Z'), { seconds: true })).toBe(
      '14:05:09',
    );
  });
  it('adds the date today too when asked (a list spanning several days)', () => {
    expect(formatTime('2025-01-04T14:05:09Z', at('2025-01-04T18:00:00Z'), { withDate: true })).toBe('Sat 4 Jan 14:05');
    expect(formatTime('2025-01-04T14:05:09Z', at('2025-01-04T18:00:00Z'), { withDate: true, seconds: true })).toBe('Sat 4 Jan 14:05:09');
  });
  it('adds weekday and date when the day is not today', () => {
    expect(formatTime('2025-01-03T23:30:00Z', at('2025-01-04T12:00:00Z'))).toBe('Fri 3 Jan 23:30');
  });
  it('decides "today" by the London date, not the UTC date', () => {
    // 23:30 UTC on 30 June is 00:30 BST on 1 July: the same London day as 01:10 BST.
    expect(formatTime('2025-06-30T23:30:00Z', at('2025-07-01T00:10:00Z'))).toBe('00:30');
    // 23:10 UTC on 30 June is already 1 July in London, while it is still 30 June there at 23:50 BST.
    expect(formatTime('2025-06-30T23:10:00Z', at('2025-06-30T22:50:00Z'))).toBe('Tue 1 Jul 00:10');
  });
  it('crosses the spring change from GMT to BST', () => {
    const now = at('2025-03-30T12:00:00Z');
    expect(formatTime('2025-03-30T00:59:59Z', now, { seconds: true })).toBe('00:59:59');
    expect(formatTime('2025-03-30T01:00:00Z', now, { seconds: true })).toBe('02:00:00');
  });
  it('crosses the autumn change from BST to GMT', () => {
    const now = at('2025-10-26T12:00:00Z');
    expect(formatTime('2025-10-26T00:30:00Z', now)).toBe('01:30'); // BST
    expect(formatTime('2025-10-26T01:30:00Z', now)).toBe('01:30'); // GMT, an hour later
    expect(formatTime('2025-10-25T22:59:00Z', now)).toBe('Sat 25 Oct 23:59');
  });
  it('adds the year for another year', () => {
    expect(formatTime('2024-12-31T10:00:00Z', at('2025-01-02T10:00:00Z'))).toBe('31 Dec 2024 10:00');
  });
  it('shows a dash for a missing or unreadable time', () => {
    expect(formatTime(null, 0)).toBe('—');
    expect(formatTime('soon', 0)).toBe('—');
  });
  it('formats a clock with seconds in London time', () => {
    expect(formatClock(at('2025-07-04T08:09:10Z'))).toBe('09:09:10');
    expect(formatClock(at('2025-12-04T08:09:10Z'))).toBe('08:09:10');
  });
});

describe('durations and fix age', () => {
  it('formats durations for a glance', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(12 * 60_000 + 59_000)).toBe('12 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 05 min');
    expect(formatDuration(27 * 3_600_000)).toBe('1 d 3 h');
  });
  it('formats a wait in minutes as hours and minutes past the hour (the board\'s handover wait)', () => {
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(59)).toBe('59 min');
    expect(formatMinutes(60)).toBe('1 h 00 min');
    expect(formatMinutes(81)).toBe('1 h 21 min');
    expect(formatMinutes(2330)).toBe('38 h 50 min');
  });
  it('says how old a fix is', () => {
    const now = at('2025-01-04T12:00:00Z');
    expect(formatFixAge('2025-01-04T11:58:00.000000Z', now)).toBe('fix 2 min ago');
    expect(formatFixAge('2025-01-04T11:59:30Z', now)).toBe('fix 30 s ago');
    expect(formatFixAge('2025-01-04T11:59:58Z', now)).toBe('fix just now');
    expect(formatFixAge('2025-01-04T12:00:03Z', now)).toBe('fix just now'); // small clock skew
    expect(formatFixAge('2025-01-04T10:30:00Z', now)).toBe('fix 1 h 30 min ago');
    expect(formatFixAge(null, now)).toBe('no fix');
  });
  it('marks fixes older than five minutes as stale', () => {
    const now = at('2025-01-04T12:00:00Z');
    expect(isStaleFix('2025-01-04T11:56:00Z', now)).toBe(false);
    expect(isStaleFix('2025-01-04T11:54:00Z', now)).toBe(true);
    expect(isStaleFix(null, now)).toBe(true);
  });
});

describe('targetState', () => {
  const now = at('2025-01-04T12:00:00Z');
  it('counts down to the target', () => {
    expect(targetState('2025-01-04T12:12:00Z', now)).toEqual({ overdue: false, text: 'in 12 min' });
  });
  it('is overdue once the target has passed', () => {
    expect(targetState('2025-01-04T11:57:00Z', now)).toEqual({ overdue: true, text: 'overdue 3 min' });
  });
  it('has no target when there is none', () => {
    expect(targetState(null, now)).toEqual({ overdue: false, text: 'no target' });
  });
});

describe('formatDay', () => {
  it('writes a calendar date as a day, with no time zone shift', () => {
    expect(formatDay('2027-03-31')).toBe('Wed 31 Mar 2027');
    expect(formatDay('1991-04-12')).toBe('Fri 12 Apr 1991');
    expect(formatDay(null)).toBe('—');
    expect(formatDay('soon')).toBe('soon');
  });
});
