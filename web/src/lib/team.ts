// Mental Health Team screen logic: training coverage as chart rows, flag
// states and what can be done next, overdue actions.

import type { BarItem } from './charts';
import { formatNumber } from './charts';
import { londonLocalToIso } from './forms';
import { countOf } from './plural';
import { can } from './roles';
import { formatDay, formatTime, londonDayText, londonParts, parseIso } from './time';

export interface CoverageBcu {
  code: string;
  name: string;
  trained: number;
  refresher_due: number;
  lapsed: number;
  target: number;
  percent_of_target: number;
}

export interface Coverage {
  force: { trained: number; lapsed: number; target: number; percent_of_target: number };
  bcus: CoverageBcu[];
}

/** One bar per BCU: trained officers as a share of its target. */
export function coverageItems(c: Coverage): BarItem[] {
  return c.bcus.map((b) => ({
    label: `${b.code} ${b.name}`,
    value: b.target > 0 ? (100 * b.trained) / b.target : 0,
    valueLabel: `${formatNumber(b.trained)} of ${formatNumber(b.target)} (${formatNumber(b.target > 0 ? Math.round((1000 * b.trained) / b.target) / 10 : 0)}%)`,
  }));
}

/** An officer's refresher that is due or overdue (GET /api/training/due, TrainingDueJson). */
export interface TrainingDue {
  collar: string;
  name: string;
  bcu: string;
  course_id: string;
  course: string;
  completed_on: string;
  due_on: string;
  status: 'due' | 'overdue' | string;
  /** Days from today (London) to the due date: negative when overdue. */
  days_to_due: number;
}

export interface TrainingDueList {
  officers: TrainingDue[];
  due: number;
  overdue: number;
}

/** Overdue first, the longest overdue at the top; then those due, the soonest first. */
export function sortTrainingDue(list: readonly TrainingDue[]): TrainingDue[] {
  const late = (t: TrainingDue) => t.status === 'overdue' || t.days_to_due < 0;
  return [...list].sort((a, b) => {
    if (late(a) !== late(b)) return late(a) ? -1 : 1;
    return a.days_to_due - b.days_to_due || a.collar.localeCompare(b.collar);
  });
}

/** "Overdue by 174 days", "Due today", "Due in 1 day". */
export function trainingDueText(t: Pick<TrainingDue, 'days_to_due'>): string {
  const n = Math.abs(t.days_to_due);
  const days = `${n} ${n === 1 ? 'day' : 'days'}`;
  if (t.days_to_due < 0) return `Overdue by ${days}`;
  return t.days_to_due === 0 ? 'Due today' : `Due in ${days}`;
}

export type FlagStep = 'review' | 'decide' | null;

/** The next step of a high-intensity-user flag: health-led review, then case or no action. */
export function flagStep(status: string): FlagStep {
  if (status === 'candidate') return 'review';
  if (status === 'reviewed') return 'decide';
  return null;
}

/**
 * The review a person may record on a flag, as the server accepts one on any open flag: the first,
 * health-led review of a candidate, or a new review of a flag already reviewed or made a case (its
 * review date come, or to keep it running). Null for a flag that has ended.
 */
export function flagReviewAction(status: string): { label: string; submit: string } | null {
  if (status === 'candidate') return { label: 'Record the health-led review', submit: 'Save the review' };
  if (status === 'reviewed' || status === 'case') return { label: 'Record a new review', submit: 'Save the new review' };
  return null;
}

/** "Review due since Tue 29 Dec 2026" when the server says the flag's review date has come; else null. */
export function reviewDueText(flag: { review_due?: boolean; review_date?: string | null }): string | null {
  return flag.review_due && flag.review_date ? `Review due since ${formatDay(flag.review_date)}` : null;
}

/** Who or where a flag or case is about: the person's name (else their id), or the address. */
export function subjectLabel(s: { type: string; person_id?: string; name?: string; address_key?: string }): string | undefined {
  return s.type === 'person' ? (s.name ?? s.person_id) : s.address_key;
}

/** The subject of a flag raised on a repeat-demand person or address (POST /api/hiu/flags). */
export interface RaiseFlagSubject {
  person_id?: string;
  address_key?: string;
  flag_id: string | null;
}

/**
 * Whether the role may raise a flag on this subject: the server lets the team raise one
 * (hiu.manage) only while the subject has no open flag.
 */
export function mayRaiseFlag(role: string, subject: RaiseFlagSubject): boolean {
  return can(role, 'hiu.manage') && !subject.flag_id;
}

/**
 * The body that raises a flag: the subject (a person by id, an address by its key) and the
 * team's reason from the form. The server takes the evidence from the subject's repeat demand.
 */
export function raiseFlagBody(subject: RaiseFlagSubject, form: Record<string, unknown>): Record<string, unknown> {
  return subject.person_id !== undefined
    ? { ...form, subject_type: 'person', subject_id: subject.person_id }
    : { ...form, subject_type: 'address', subject_id: subject.address_key ?? '' };
}

/** A case's SARA plan: scanning, analysis, response, assessment. */
export interface SaraPlan {
  scanning: string;
  analysis: string;
  response: string;
  assessment: string;
}

export const kSaraSections: ReadonlyArray<keyof SaraPlan> = ['scanning', 'analysis', 'response', 'assessment'];

/**
 * Why a SARA plan form is not to be sent, or null. The form sends every section, one cleared as ""
 * (the server empties a section sent empty and keeps one left out), so a plan with every section
 * empty, or one the same as the saved plan, would close the form as if saved: neither is sent.
 */
export function saraPlanProblem(saved: Partial<SaraPlan> | undefined, body: Record<string, unknown>): string | null {
  const sent = (body.sara ?? {}) as Record<string, unknown>;
  const text = (k: keyof SaraPlan) => {
    const v = sent[k];
    return typeof v === 'string' ? v.trim() : '';
  };
  if (kSaraSections.every((k) => text(k) === '')) {
    return 'every section is empty. Write at least one section of the plan.';
  }
  if (kSaraSections.every((k) => text(k) === (saved?.[k] ?? '').trim())) {
    return 'nothing has changed: the plan is as saved. Change a section, or cancel.';
  }
  return null;
}

export const kFlagStatus: Record<string, string> = {
  candidate: 'Candidate — awaiting health-led review',
  reviewed: 'Reviewed — awaiting decision',
  case: 'Case opened',
  no_action: 'No action',
  expired: 'Expired',
};

export const kResponses: Record<string, string> = {
  accepted: 'Accepted',
  partially_accepted: 'Partially accepted',
  not_accepted: 'Not accepted',
  not_accepted_as_a_whole: 'Not accepted as a whole',
  not_accepted_in_current_form: 'Not accepted in its current form',
};

/** How many action rows the liaison-meeting form offers; a blank row is left out. */
export const kMeetingActionRows = 3;

/** A liaison meeting as POST /api/liaison-meetings reads it. */
export interface MeetingBody {
  bcu: string;
  agency_id: string;
  date: string;
  attendees: string[];
  minutes?: string;
  actions: Array<{ text: string; owner: string; due: string }>;
}

/** The start of a London day "YYYY-MM-DD" as an ISO instant, or null when it is not a real date. */
export function londonDayToIso(day: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(day.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) return null;
  return londonLocalToIso(`${day.trim()}T00:00`);
}

/**
 * The liaison-meeting form's values (as lib/forms builds them: `actions.1.text` nests as
 * actions["1"].text) made into the body the server reads: attendees one per line, blank lines
 * dropped; the action rows with nothing in them left out; days as the start of the London day.
 * `rows` says which form row each action sent came from, for the server's "actions[0].due";
 * `problems` what the form cannot read, and nothing is to be sent while there are any.
 */
export function meetingFromForm(form: Record<string, unknown>): { body: MeetingBody; rows: number[]; problems: string[] } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const problems: string[] = [];
  const day = (v: unknown, name: string) => {
    const s = text(v);
    const iso = londonDayToIso(s);
    if (iso === null) problems.push(s === '' ? `${name}: give the date, as YYYY-MM-DD` : `${name}: “${s}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27`);
    return iso ?? s;
  };
  const body: MeetingBody = {
    bcu: text(form.bcu),
    agency_id: text(form.agency_id),
    date: day(form.date, 'Date of the meeting'),
    attendees: text(form.attendees)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    actions: [],
  };
  const minutes = text(form.minutes);
  if (minutes !== '') body.minutes = minutes;
  const rows: number[] = [];
  const given = (form.actions ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (let row = 1; row <= kMeetingActionRows; row++) {
    const a = given[String(row)] ?? {};
    if (text(a.text) === '' && text(a.owner) === '') continue;
    body.actions.push({ text: text(a.text), owner: text(a.owner), due: day(a.due, `Action ${row} due date`) });
    rows.push(row);
  }
  return { body, rows, problems };
}

/**
 * Where the server's refusal of a meeting belongs in the form: "actions[0].due" is the due date
 * of the first action sent, which is the form's row `rows[0]` ("actions.2.due", said as "Action 2");
 * any other field is the form's own name for it.
 */
export function meetingErrorField(field: string | undefined, rows: readonly number[]): { field: string | undefined; prefix: string } {
  const m = /^actions\[(\d+)\]\.?(.*)$/.exec(field ?? '');
  if (!m) return { field, prefix: '' };
  const row = rows[Number(m[1])];
  if (row === undefined) return { field: 'actions', prefix: '' };
  return { field: m[2] ? `actions.${row}.${m[2]}` : `actions.${row}.text`, prefix: `Action ${row}: ` };
}

/** "YYYY-MM-DD" in London, `days` after `nowMs`. */
export function londonDatePlus(nowMs: number, days: number): string {
  const d = new Date(nowMs + days * 86_400_000);
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return p;
}

/**
 * Whether a learning recommendation, or one of its actions, is past its due date (London) and not
 * finished: a recommendation implemented or closed, an action done. The server does not say, as it
 * does for case and liaison actions.
 */
export function learningOverdue(item: { due_on: string; status: string }, nowMs: number): boolean {
  if (['implemented', 'closed', 'done'].includes(item.status)) return false;
  return /^\d{4}-\d\d-\d\d$/.test(item.due_on) && item.due_on < londonDatePlus(nowMs, 0);
}

const kTeamStreams = ['team/', 'person/', 'hiu/', 'hiu-case/', 'training', 'learning/', 'meeting/', 'alert/', 'agreement/', 'register/'];
const kDemandEvents = new Set(['incident.person_linked', 'incident.closed', 'incident.reopened']);

/**
 * Whether a stream event changes what the team screen shows. Its reads of
 * repeat demand and flags are logged accesses, so it does not reload for
 * every unit fix or assignment: only for the team's own streams, alerts, and
 * the incident events that change repeat demand.
 */
export function teamRelevant(e: { stream: string; event_type: string }): boolean {
  if (kTeamStreams.some((p) => e.stream.startsWith(p))) return true;
  return e.stream.startsWith('incident/') && kDemandEvents.has(e.event_type);
}

/**
 * A case's demand before and after it opened, in equal windows (the time it has run): until it has
 * run a day there is nothing to compare, which the line says instead of "0 days: 0 → 0".
 */
export function caseDemandText(d: {
  window_days: number;
  before: { contacts: number; officer_hours: number };
  after: { contacts: number; officer_hours: number };
}): string {
  if (d.window_days < 1) {
    return `Opened less than a day ago: demand before and after is compared in equal windows once the case has run a day (${countOf(d.before.contacts, 'contact')} in the day before it opened).`;
  }
  const days = Math.floor(d.window_days);
  const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  return `Demand in the ${days} day${days === 1 ? '' : 's'} before it opened vs since: ${d.before.contacts} → ${d.after.contacts} contacts, ${n(d.before.officer_hours)} → ${n(d.after.officer_hours)} officer-hours`;
}

/**
 * When a flag expires. A reviewed flag runs to the end of the day the reviewer chose (the server
 * stores London midnight after it): "at the end of Sun 30 May 2027", not "31 May 00:00".
 */
export function flagExpiryText(expiresAt: string, now: number): string {
  const ms = Date.parse(expiresAt);
  const p = londonParts(ms);
  if (p.hour === 0 && p.minute === 0 && p.second === 0) {
    const before = londonParts(ms - 1000);
    return `expires at the end of ${before.weekday} ${before.day} ${before.monthName} ${before.year}`;
  }
  return `expires ${formatTime(expiresAt, now)}`;
}

/** What a post of a Mental Health Team is, for people: "Mental Health Liaison Officer". */
export function postTitle(p: { kind: string; borough: { name: string } | null }): string {
  if (p.kind === 'sergeant') return 'Team sergeant';
  if (p.kind === 'liaison') return 'Mental Health Liaison Officer';
  return p.borough ? `Constable, ${p.borough.name}` : 'Constable';
}

/** The functions a team constable may hold, as the server names them, with their labels. */
export const kPostFunctions: ReadonlyArray<readonly [string, string]> = [
  ['partnerships_crisis', 'Partnerships and crisis'],
  ['prevention', 'Prevention'],
  ['high_intensity', 'High-intensity users'],
];

/**
 * Who holds a post and since when, or how long it has been empty: "PC Ann Lee (AW-12),
 * prevention, in post since Mon 3 Mar 2025; leaves Fri 4 Apr 09:00" or "Vacant for 400 days".
 */
export function postStateText(
  p: { holder: { collar: string; name: string; rank: string; function: string; since: string } | null; vacant_days: number | null; vacates_at: string | null },
  nowMs: number,
): string {
  if (!p.holder) {
    return p.vacant_days === null ? 'Vacant' : p.vacant_days < 1 ? 'Vacant since today' : `Vacant for ${countOf(p.vacant_days, 'day')}`;
  }
  const h = p.holder;
  const fn = kPostFunctions.find(([v]) => v === h.function)?.[1];
  const sinceMs = parseIso(h.since);
  const since = Number.isFinite(sinceMs) ? londonDayText(sinceMs) : '—';
  const leaves = p.vacates_at ? `; leaves ${formatTime(p.vacates_at, nowMs, { withDate: true })}` : '';
  return `${h.rank} ${h.name} (${h.collar})${fn ? `, ${fn.toLowerCase()}` : ''}, in post since ${since}${leaves}`;
}

/** The statuses of a learning recommendation and of its actions, as the server names them. */
export const kLearningStatuses: ReadonlyArray<readonly [string, string]> = [
  ['open', 'Open'],
  ['in_progress', 'In progress'],
  ['implemented', 'Implemented'],
  ['closed', 'Closed'],
];
export const kLearningActionStatuses: ReadonlyArray<readonly [string, string]> = [
  ['open', 'Open'],
  ['in_progress', 'In progress'],
  ['done', 'Done'],
];

/**
 * The body of a learning recommendation's update from its form: the status only when it changes
 * (the same status again is no progress to log), the action chosen by its number (none: no
 * action update), and the evidence as typed. The server refuses a body that changes nothing.
 */
export function learningUpdateBody(current: { status: string }, form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof form.status === 'string' && form.status !== current.status) out.status = form.status;
  if (typeof form.evidence === 'string' && form.evidence !== '') out.evidence = form.evidence;
  const action = form.action as Record<string, unknown> | undefined;
  const index = typeof action?.index === 'string' ? Number(action.index) : NaN;
  if (action && action.index !== '' && Number.isInteger(index) && index >= 0) {
    const a: Record<string, unknown> = { index };
    if (typeof action.status === 'string' && action.status !== '') a.status = action.status;
    if (typeof action.evidence === 'string' && action.evidence !== '') a.evidence = action.evidence;
    out.action = a;
  }
  return out;
}

/** A training import's report (POST /api/training/completions/import, or a refusal's details). */
export interface TrainingImportReport {
  mode: string;
  file_name?: string;
  rows: number;
  imported: number;
  rejected: Array<{ line: number; collar?: string; reason: string }>;
  skipped: Array<{ line: number; collar?: string; reason: string }>;
}

/**
 * What an import did, in one line: "Imported 40 of 43 rows; 2 skipped (already recorded or
 * repeated); 1 rejected." When the file was refused whole (all or nothing), says nothing was
 * imported and why.
 */
export function importSummary(r: TrainingImportReport, refused: boolean): string {
  const parts: string[] = [];
  if (r.skipped.length > 0) parts.push(`${countOf(r.skipped.length, 'row')} skipped (already recorded or repeated)`);
  if (r.rejected.length > 0) parts.push(`${countOf(r.rejected.length, 'row')} rejected`);
  const rest = parts.length > 0 ? `; ${parts.join('; ')}` : '';
  if (refused) return `Nothing imported: ${countOf(r.rejected.length, 'row')} of ${r.rows} could not be read. Mend them, or import only the rows that can be read${r.skipped.length > 0 ? ` (${countOf(r.skipped.length, 'row')} would be skipped)` : ''}.`;
  return `Imported ${r.imported} of ${countOf(r.rows, 'row')}${rest}.`;
}

/** Whether a refusal's details are an import report (the all-or-nothing refusal carries one). */
export function asImportReport(details: Record<string, unknown> | undefined): TrainingImportReport | null {
  if (!details || typeof details.rows !== 'number' || !Array.isArray(details.rejected) || !Array.isArray(details.skipped)) return null;
  return details as unknown as TrainingImportReport;
}

/**
 * The largest CSV sent at once. The server takes requests of up to 1 MiB (server.body_limit), and
 * the file goes inside a JSON body, where each line break and quote takes two bytes: 950 KB
 * leaves room for that.
 */
export const kMaxImportBytes = 950_000;

/** Why a chosen file cannot be sent as it is (none chosen, or too large for one request); null when it can. */
export function importFileProblem(file: { size: number } | null): string | null {
  if (!file) return 'Choose the CSV file to import.';
  if (file.size > kMaxImportBytes) {
    return `The file is ${formatNumber(Math.ceil(file.size / 1000))} KB; at most ${formatNumber(kMaxImportBytes / 1000)} KB is imported at once. Split it into parts and import each.`;
  }
  return null;
}
