// Reports (issue 8), generically: any report of the shape GET /api/reports/{name}
// returns is shown as its summary, and each table as a bar chart (first text
// column as the label, first numeric column as the value), the table itself,
// and a CSV download of that table.

import type { BarItem } from './charts';
import { formatNumber } from './charts';
import { countOf } from './plural';
import { londonDatePlus } from './team';
import { formatTime, londonParts, parseIso } from './time';
import type { FormatTimeOptions } from './time';

export interface ReportColumn {
  key: string;
  label: string;
  unit?: string;
}

export interface ReportTable {
  name: string;
  title: string;
  columns: ReportColumn[];
  rows: Array<Record<string, unknown>>;
  /** What to say when there are no rows (most tables: none in the window; some are not of the window). */
  empty?: string;
}

export interface Report {
  report: string;
  title: string;
  from: string;
  to: string;
  generated_at: string;
  summary: Record<string, number>;
  tables: ReportTable[];
}

/** Reports with their own screen section (the s136 return is a CSV by financial year). */
export const kNotGeneric: ReadonlySet<string> = new Set(['s136']);

export interface ReportListItem {
  name: string;
  title: string;
}

export interface ReportQuery {
  name: string;
  /** ISO instants. */
  from: string;
  to: string;
  bcu?: string;
}

export function reportPath(q: ReportQuery): string {
  const p = new URLSearchParams({ from: q.from, to: q.to });
  if (q.bcu) p.set('bcu', q.bcu);
  return `/api/reports/${encodeURIComponent(q.name)}?${p.toString()}`;
}

export function csvPath(q: ReportQuery, table: string): string {
  return `${reportPath(q)}&format=csv&table=${encodeURIComponent(table)}`;
}

/** The file name for a table's CSV: the report, the table, and the London days it covers (inclusive). */
export function csvFilename(q: ReportQuery, table: string): string {
  const day = (ms: number) => {
    const p = londonParts(ms);
    return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  };
  const from = day(parseIso(q.from));
  const last = day(parseIso(q.to) - 1); // `to` is exclusive
  return `${q.name}-${table}-${from}-to-${last}${q.bcu ? `-${q.bcu}` : ''}.csv`;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The first column whose values are text, and the first whose values are numbers. */
export function chartColumns(t: ReportTable): { label: ReportColumn; value: ReportColumn } | null {
  const present = (c: ReportColumn) => t.rows.filter((r) => r[c.key] !== null && r[c.key] !== undefined);
  const label = t.columns.find((c) => {
    const vals = present(c);
    return vals.length > 0 && vals.every((r) => typeof r[c.key] === 'string');
  });
  const value = t.columns.find((c) => {
    const vals = present(c);
    return vals.length > 0 && vals.every((r) => isNumber(r[c.key]));
  });
  return label && value ? { label, value } : null;
}

/** How a table's cell reads: its value formatted for people (see formatCell), or a report's own wording. */
export type CellText = (row: Record<string, unknown>, column: ReportColumn) => string;

const plainCell: CellText = (row, c) => formatCell(row[c.key], c.unit);

/** Bars for a table, or null when it has no text or no numeric column; `cell` words each bar's figure. */
export function chartItems(t: ReportTable, cell: CellText = plainCell): { items: BarItem[]; label: ReportColumn; value: ReportColumn; omitted: number } | null {
  const cols = chartColumns(t);
  if (!cols) return null;
  // Rows that share a label (a BCU per grade) are told apart by their other text columns.
  const first = t.rows.map((r) => String(r[cols.label.key] ?? '—'));
  const repeated = new Set(first.filter((l, i) => first.indexOf(l) !== i));
  const texts = t.columns.filter((c) => c.key !== cols.label.key && t.rows.every((r) => r[c.key] === null || r[c.key] === undefined || typeof r[c.key] === 'string'));
  const all = t.rows.map((r, i) => {
    const v = r[cols.value.key];
    const extra = repeated.has(first[i]) ? texts.map((c) => r[c.key]).filter((x) => typeof x === 'string' && x) : [];
    return {
      label: humanText([first[i], ...extra].join(' ')),
      value: isNumber(v) ? v : 0,
      valueLabel: cell(r, cols.value),
    };
  });
  const items = all.length > kChartAllRowsUpTo ? all.filter((x) => x.value !== 0) : all;
  return { items, ...cols, omitted: all.length - items.length };
}

const kUnits: Record<string, string> = { minutes: ' min', hours: ' h', percent: '%' };

const kIsoInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/**
 * A table cell for people: numbers with their unit, booleans as yes/no,
 * instants in London time (with the date when not today, or always with
 * `time.withDate`), nothing as a dash.
 */
export function formatCell(v: unknown, unit?: string, nowMs: number = Date.now(), time: FormatTimeOptions = {}): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (isNumber(v)) return `${formatNumber(v)}${kUnits[unit ?? ''] ?? ''}`;
  if (typeof v === 'string' && kIsoInstant.test(v)) return formatTime(v, nowMs, time);
  if (typeof v === 'string') return humanText(v);
  return String(v);
}

const kCodes: Record<string, string> = { hbpos: 'health-based place of safety' };

/** Codes as words: "police_vehicle" → "police vehicle", "threshold: risk_to_life" → "threshold: risk to life". */
export function humanText(s: string): string {
  if (kCodes[s]) return kCodes[s];
  return s.replace(/\b[a-z]+(?:_[a-z0-9]+)+\b/g, (m) => m.replace(/_/g, ' '));
}

/** Long tables chart only their rows above zero (a bar per zero row says nothing and buries the rest). */
export const kChartAllRowsUpTo = 16;

/**
 * A summary key as a phrase: "met_pct" → "Met", "I_incidents" → "Grade I incidents",
 * "training_force_percent_of_target" → "Training force of target" (the unit goes on the value, see summaryUnit).
 * `summary`, the figures, gives what a key does not say: the handover limit the force configured.
 */
export function summaryLabel(key: string, keys: readonly string[] = [], summary: Readonly<Record<string, unknown>> = {}): string {
  const fixed = kSummaryLabels[key];
  if (fixed) return fixed;
  // The key keeps the default limit's figure (handover_waits_over_60); the limit is the configured one.
  let m = /^handover_waits_over_(\d+)$/.exec(key);
  if (m) {
    const limit = summary.handover_limit_minutes;
    return `Handover waits over ${countOf(typeof limit === 'number' ? limit : Number(m[1]), 'minute')}`;
  }
  // Response: the met share is of the incidents with an arrival; those without are counted apart.
  m = /^([IESPR])_met_pct$/.exec(key);
  if (m) return `Grade ${m[1]} met (of arrivals)`;
  m = /^([IESPR])_no_arrival$/.exec(key);
  if (m) return `Grade ${m[1]} no arrival recorded`;
  // Teams: training is counted as it stands now, whatever the window (force-wide in the summary).
  m = /^training_force_(.+)$/.exec(key);
  if (m)
    return `Training now, whole force: ${
        summaryLabel(m[1]).toLowerCase().replace(/^percent of /, 'as a share of ')}`;
  // "arrivals_recorded_pct" beside "arrivals_recorded": say which is the share.
  if (/_pct$/.test(key) && keys.includes(key.replace(/_pct$/, ''))) return `${summaryLabel(key.replace(/_pct$/, ''))} (share)`;
  let s = key
    .replace(/^([IESPR])_/, 'Grade $1 ')
    .replace(/_minutes$/, '')
    .replace(/(^|_)minutes_to_/, '$1time_to_')
    .replace(/_pct$/, '')
    .replace(/_percent_of_/, ' percent of ')
    .replace(/_/g, ' ')
    .replace(/ percent of /, ' as a share of ');
  s = s.replace(/\s+/g, ' ').replace(/\b(hiu|avl)\b/gi, (m) => m.toUpperCase()).trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Summary keys whose phrase is not their words. */
const kSummaryLabels: Record<string, string> = {
  s136: 's136 detentions',
  s135: 's135 detentions',
  mean_handover_wait_minutes: 'Mean handover wait (finished waits)',
  handover_limit_minutes: 'Handover wait limit',
  repeat_persons: 'Repeat persons now (rolling windows)',
  repeat_addresses: 'Repeat addresses now (rolling windows)',
  repeat_officer_hours: 'Repeat demand officer hours now (rolling windows)',
};

/** The unit a summary figure is in, from its key (the summary carries no units): percent, minutes or hours. */
export function summaryUnit(key: string): string | undefined {
  if (/(^|_)(pct|percent)(_|$)/.test(key)) return 'percent';
  if (/(^|_)minutes(_|$)/.test(key)) return 'minutes';
  if (/(^|_)hours(_|$)/.test(key)) return 'hours';
  return undefined;
}

/** Whether a window (`to` exclusive) covers more than one London day: its times then need their dates. */
export function windowSpansDays(fromIso: string, toIso: string): boolean {
  const from = parseIso(fromIso);
  const to = parseIso(toIso);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return true; // unknown: dates are the safe side
  const a = londonParts(from);
  const b = londonParts(to - 1);
  return a.year !== b.year || a.month !== b.month || a.day !== b.day;
}

/**
 * Where a report's window stands at the moment the server made it (`generated_at`, the server's
 * clock): not started (no figures yet), still running (figures so far), or over.
 */
export type WindowState = 'not_started' | 'running' | 'over';

export function windowState(r: Pick<Report, 'from' | 'to' | 'generated_at'>): WindowState {
  const at = parseIso(r.generated_at);
  if (parseIso(r.from) > at) return 'not_started';
  if (parseIso(r.to) > at) return 'running';
  return 'over';
}

/** The server's clock minus this browser's, from a time the server gave (`now` of GET /api/health); 0 when unreadable. */
export function clockSkewMs(serverNowIso: string | null | undefined, clientNowMs: number): number {
  const server = serverNowIso ? parseIso(serverNowIso) : Number.NaN;
  return Number.isFinite(server) ? server - clientNowMs : 0;
}

/** The window the form starts with: the last seven London days and today, by the (server-corrected) now. */
export function defaultWindow(nowMs: number): { from: string; to: string } {
  return { from: londonDatePlus(nowMs, -7), to: londonDatePlus(nowMs, 0) };
}

/**
 * The state of a detention row's handover wait (mental-health report, table `detentions`): null
 * without a wait. A wait is the officers' until they leave or the detention ends; the server counts
 * one still running up to the report's time and marks the row (`handover_wait_running`).
 */
export type WaitState = 'running' | 'finished';

export function handoverWaitState(row: Readonly<Record<string, unknown>>): WaitState | null {
  if (!isNumber(row.handover_wait_minutes)) return null;
  return row.handover_wait_running === true ? 'running' : 'finished';
}

export function windowText(fromIso: string, toIso: string): string {
  const from = parseIso(fromIso);
  const to = parseIso(toIso);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `${fromIso} to ${toIso}`;
  const day = (ms: number) => {
    const p = londonParts(ms);
    return `${p.weekday} ${p.day} ${p.monthName} ${p.year}`;
  };
  const first = day(from);
  const last = day(to - 1);
  return first === last ? first : `${first} to ${last}`;
}

/** The first calendar year of the financial year (April to March) an instant falls in, in London. */
export function financialYear(nowMs: number): number {
  const p = londonParts(nowMs);
  return p.month >= 4 ? p.year : p.year - 1;
}

/** "2025/26" for 2025. */
export function financialYearLabel(year: number): string {
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

/**
 * A detention row's cell (mental-health report, table `detentions`), saying what is still running:
 * a detention not ended has lasted "4.3 h so far"; a handover wait still running is "still waiting,
 * 50.1 min so far" and not yet over the limit.
 */
export function detentionCell(row: Record<string, unknown>, c: ReportColumn, wait: WaitState | null, nowMs: number = Date.now(), time: FormatTimeOptions = {}): string {
  const text = formatCell(row[c.key], c.unit, nowMs, time);
  const v = row[c.key];
  if (c.key === 'hours_detained' && isNumber(v) && row.status !== 'ended') return `${text} so far`;
  if (c.key === 'handover_wait_minutes' && isNumber(v)) {
    if (wait === 'running') return `still waiting, ${text} so far`;
  }
  if (c.key === 'handover_over_60' && v === 'no' && wait === 'running') return 'not yet';
  return text;
}

/** One of the RCRP outcome breakdowns: its rows, each outcome without the breakdown's name. */
export interface Breakdown {
  key: string;
  title: string;
  /** What the figures are of. */
  of: string;
  /** Said in place of the rows when there are none. */
  none: string;
  table: ReportTable;
}

const kRcrpBreakdowns: ReadonlyArray<Omit<Breakdown, 'table'>> = [
  { key: 'police attendance', title: 'Police attendance', of: 'Each mental-health incident: attended or not.', none: 'No incidents in this window.' },
  { key: 'triage threshold', title: 'RCRP triage threshold', of: 'Each mental-health incident: the threshold its RCRP triage recorded, or not triaged.', none: 'No incidents in this window.' },
  {
    key: 'triage signposted',
    title: 'Signposted to',
    of: 'Each incident triaged below the police threshold: where the caller was signposted.',
    none: 'None: no incident in this window was triaged below the police threshold.',
  },
];

/**
 * The mental-health report's `rcrp_outcomes` table ("police attendance: attended", "triage
 * threshold: none", "triage signposted: gp", …) as its breakdowns, each adding up on its own:
 * attendance and the triage threshold, of every incident; where callers were signposted, of those
 * below the threshold (the server has rows for it only when there are some). A breakdown the page
 * does not know follows, named by the server's words.
 */
export function rcrpBreakdowns(t: ReportTable): Breakdown[] {
  const outcome = t.columns.find((c) => c.key === 'outcome') ?? { key: 'outcome', label: 'Outcome' };
  const groups = new Map<string, Array<Record<string, unknown>>>(kRcrpBreakdowns.map((b) => [b.key, []]));
  for (const row of t.rows) {
    const text = String(row.outcome ?? '');
    const colon = text.indexOf(': ');
    const key = colon > 0 ? text.slice(0, colon) : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ ...row, outcome: colon > 0 ? text.slice(colon + 2) : text });
  }
  return [...groups].map(([key, rows]) => {
    const known = kRcrpBreakdowns.find((b) => b.key === key);
    const words = humanText(key);
    const title = known?.title ?? (key ? words.charAt(0).toUpperCase() + words.slice(1) : 'Other outcomes');
    return {
      key,
      title,
      of: known?.of ?? '',
      none: known?.none ?? 'None.',
      table: { ...t, name: `${t.name}-${key.replace(/\W+/g, '-') || 'other'}`, title, columns: t.columns.map((c) => (c.key === outcome.key ? { ...c, label: title } : c)), rows },
    };
  });
}
