// Partner portal logic: which referral steps a state allows, which data
// categories the agreement withholds, and which places of safety are the
// user's trust's (the server's SameTrust in src/core/mh_rules.cpp, mirrored);
// and, for the control room, the referrals partners send to the police.

import { londonDayToIso } from './team';
import { formatDuration, formatTime, londonDayText, parseIso } from './time';

export const kCategories: ReadonlyArray<readonly [string, string]> = [
  ['incident_summary', 'Incident summary'],
  ['location', 'Location'],
  ['mental_health_flags', 'Mental-health flags'],
  ['person_identity', 'Person identity'],
  ['detention_record', 'Detention record'],
  ['health_information', 'Health information'],
];

export function categoryLabel(c: string): string {
  return kCategories.find(([k]) => k === c)?.[1] ?? c.replace(/_/g, ' ');
}

/** The categories an agreement does not cover, in the standard order. */
export function withheldCategories(disclosed: readonly string[]): string[] {
  return kCategories.map(([k]) => k).filter((k) => !disclosed.includes(k));
}

export type ReferralStep = 'acknowledge' | 'accept' | 'decline' | 'complete';

/** The steps the server allows from a referral state (DecideReferralStep). */
export function referralSteps(state: string): ReferralStep[] {
  switch (state) {
    case 'sent':
      return ['acknowledge', 'accept', 'decline'];
    case 'acknowledged':
      return ['accept', 'decline'];
    case 'accepted':
      return ['complete'];
    default:
      return [];
  }
}

export const kReferralTypes: Record<string, string> = {
  street_triage: 'Street triage consultation',
  amhp_assessment: 'AMHP assessment',
  ambulance_conveyance: 'Ambulance conveyance',
  nhs111_hub: 'NHS 111 hub',
  crisis_team: 'Trust crisis team',
  safeguarding: 'Safeguarding',
  police_assistance: 'Police assistance',
};

export interface ReferralRecipient {
  /** The referrals it takes from the police under the force's configuration (GET /api/agencies). */
  referral_types?: string[];
}

/** The types of referral the police may send the agency, in the order kReferralTypes lists them. */
export function typesTaken(agency: ReferralRecipient | undefined): string[] {
  const takes = agency?.referral_types ?? [];
  return Object.keys(kReferralTypes).filter((t) => t !== 'police_assistance' && takes.includes(t));
}

/** Open referrals first (overdue, then soonest due), then the rest newest first. */
export function sortReferrals<T extends { state: string; due_at: string; sent_at: string; overdue: boolean }>(list: readonly T[]): T[] {
  const open = (r: T) => r.state === 'sent' || r.state === 'acknowledged' || r.state === 'accepted';
  return [...list].sort((a, b) => {
    if (open(a) !== open(b)) return open(a) ? -1 : 1;
    if (open(a)) {
      if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
      return a.due_at.localeCompare(b.due_at);
    }
    return b.sent_at.localeCompare(a.sent_at);
  });
}

/** The police's agency id: a partner's referral to the police is addressed to it (DecideReferralRaise). */
export const kPoliceAgency = 'mps';

/** A referral a partner sent to the police (POST /api/referrals), not one the police sent out. */
export function isToPolice(r: { direction: string; agency_id: string }): boolean {
  return r.direction === 'to_police' || r.agency_id === kPoliceAgency;
}

export interface DeadlineView {
  tone: 'ok' | 'warn' | 'late' | 'none';
  text: string;
}

/** Within this of its deadline an unacknowledged referral is shown as urgent. */
export const kReferralWarnMs = 10 * 60_000;

/**
 * Where a referral stands against its deadline. The deadline is for the receiving agency to
 * respond (acknowledge, accept or decline: each stops the server's timer); once it has, the
 * line says when.
 */
export function referralDeadline(
  r: { state: string; due_at: string; overdue: boolean; acknowledged_at: string | null; accepted_at: string | null; declined_at: string | null; completed_at: string | null },
  nowMs: number,
): DeadlineView {
  const due = parseIso(r.due_at);
  const t = (iso: string | null) => formatTime(iso, nowMs);
  switch (r.state) {
    case 'sent': {
      const left = due - nowMs;
      if (r.overdue || left <= 0) return { tone: 'late', text: `Overdue by ${formatDuration(Math.min(left, 0))}: it was to be answered by ${t(r.due_at)}` };
      return { tone: left <= kReferralWarnMs ? 'warn' : 'ok', text: `Answer by ${t(r.due_at)} — ${formatDuration(left)} left` };
    }
    case 'acknowledged':
      return { tone: 'none', text: `Acknowledged ${t(r.acknowledged_at)}: accept or decline it` };
    case 'accepted':
      return { tone: 'none', text: `Accepted ${t(r.accepted_at)}: complete it when done` };
    case 'declined':
      return { tone: 'none', text: `Declined ${t(r.declined_at)}` };
    case 'completed':
      return { tone: 'none', text: `Completed ${t(r.completed_at)}` };
    default:
      return { tone: 'none', text: r.state };
  }
}

export function referralHash(id: string): string {
  return `#/referrals/${encodeURIComponent(id)}`;
}

/** The referral an overdue-referral alert is about, when it is one to the police (the board links it). */
export function policeReferralOfAlert(a: { type: string; data?: Record<string, unknown> }): string | null {
  if (a.type !== 'referral_overdue') return null;
  const id = a.data?.referral_id;
  return typeof id === 'string' && id && a.data?.agency_id === kPoliceAgency ? id : null;
}

function trustCore(name: string): string {
  const words: string[] = [];
  let cur = '';
  let depth = 0;
  const flush = () => {
    if (cur) words.push(cur);
    cur = '';
  };
  for (const ch of name) {
    if (ch === '(') {
      flush();
      depth++;
    } else if (ch === ')') {
      depth = Math.max(0, depth - 1);
    } else if (depth > 0) {
      continue;
    } else if (ch === '&') {
      flush();
      words.push('and');
    } else if (/[A-Za-z0-9]/.test(ch)) {
      cur += ch.toLowerCase();
    } else if (ch !== "'") {
      flush();
    }
  }
  flush();
  const generic = new Set(['nhs', 'ft', 'foundation', 'trust', 'mental', 'health', 'mh']);
  while (words.length > 0 && generic.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/** Whether an agency is the trust that runs a site. */
export function sameTrust(agencyName: string, siteTrust: string): boolean {
  const a = trustCore(agencyName);
  const b = trustCore(siteTrust);
  if (!a || !b) return false;
  if (a === b) return true;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return longer.startsWith(shorter) && longer[shorter.length] === ' ' && shorter.includes(' ');
}

/** The board's line about partners' referrals to the police not yet answered; "" when none. */
export function referralsWaitingText(c: { unanswered: number; overdue: number }): string {
  if (c.unanswered <= 0) return '';
  const n = c.unanswered === 1 ? '1 referral' : `${c.unanswered} referrals`;
  return `${n} to the police waiting for an answer${c.overdue > 0 ? ` (${c.overdue} overdue)` : ''}`;
}

/**
 * Where an information-sharing agreement stands at `nowMs`, for the police's list of them. Its
 * `end` is the first moment it no longer holds, so the last day it holds is the day before.
 */
export function agreementStanding(a: { start: string; end: string; revoked_at: string | null; active: boolean }, nowMs: number): { state: 'active' | 'revoked' | 'not_started' | 'ended'; text: string } {
  const lastDay = londonDayText(parseIso(a.end) - 1);
  if (a.revoked_at) return { state: 'revoked', text: `Revoked ${formatTime(a.revoked_at, nowMs, { withDate: true })}: nothing is disclosed under it` };
  if (parseIso(a.start) > nowMs) return { state: 'not_started', text: `Not yet in force: from ${londonDayText(parseIso(a.start))} to ${lastDay}` };
  if (!a.active || parseIso(a.end) <= nowMs) return { state: 'ended', text: `Ended: its last day was ${lastDay}` };
  return { state: 'active', text: `In force to the end of ${lastDay}` };
}

/** The regimes an agreement's lawful basis falls under (RULES.md 32), as the server names them. */
export const kRegimes: ReadonlyArray<readonly [string, string]> = [
  ['uk_gdpr_art9', 'UK GDPR Art 9 (a health partner)'],
  ['dpa2018_part3', 'DPA 2018 Part 3 (law enforcement)'],
];

/** The start of a London day ("2027-03-31"), `plusDays` later, as an ISO instant; null when it is not a day. */
function dayStart(day: unknown, plusDays = 0): string | null {
  if (typeof day !== 'string') return null;
  const iso = londonDayToIso(day);
  if (iso === null || plusDays === 0) return iso;
  const [y, m, d] = day.trim().split('-').map(Number);
  return londonDayToIso(new Date(Date.UTC(y, m - 1, d + plusDays)).toISOString().slice(0, 10));
}

/**
 * An agreement's form (days typed as YYYY-MM-DD, London) as the body the server takes: in force
 * from the start of its first day to the end of its last (the server's `end` is the first moment
 * it no longer holds), reviewed from the start of the review day. A day that cannot be read is
 * sent as typed, for the server to name.
 */
export function agreementBody(form: Record<string, unknown>): Record<string, unknown> {
  const out = { ...form };
  const at = (name: string, plus = 0) => {
    const v = form[name];
    if (v === undefined) return;
    out[name] = dayStart(v, plus) ?? v;
  };
  at('start');
  at('end', 1);
  at('review_date');
  return out;
}

/** A register entry's form: parties one per line (blank lines dropped), the review day's start. */
export function registerBody(form: Record<string, unknown>): Record<string, unknown> {
  const out = { ...form };
  if (typeof form.parties === 'string') {
    out.parties = form.parties
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
  }
  if (form.review_date !== undefined) out.review_date = dayStart(form.review_date) ?? form.review_date;
  return out;
}

/** Lawful-basis conditions as the demo and older records name them, for people. */
const kConditions: Record<string, string> = {
  sch1_para2_health_social_care: 'Sch 1 para 2 (health or social care)',
  sch8_para4_safeguarding: 'Sch 8 para 4 (safeguarding)',
};

/** An agreement's lawful-basis condition for people: a known code in words, else as recorded. */
export function conditionLabel(c: string): string {
  return kConditions[c] ?? c;
}
