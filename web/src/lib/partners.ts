// Partner portal logic: which referral steps a state allows, which data
// categories the agreement withholds, and which places of safety are the
// user's trust's (the server's SameTrust in src/core/mh_rules.cpp, mirrored).

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
