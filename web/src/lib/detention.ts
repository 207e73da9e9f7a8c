// The s136/s135 detention record as a guided sequence: which steps apply,
// which are done, which comes next, and the clock in words. Pure: the
// detention screen renders it, the unit tests pin it down.

import type { BoardDetention, Detention } from '../api/mh';
import { formatDuration, formatMinutes, formatTime, parseIso } from './time';

export type StepId =
  | 'decision'
  | 'search'
  | 'place'
  | 'conveyance'
  | 'arrival'
  | 'welfare'
  | 'handover'
  | 'extension'
  | 'transfer'
  | 'outcome';

/** done; next (the one to do now); open (may be recorded now, optional); later (not yet possible). */
export type StepState = 'done' | 'next' | 'open' | 'later';

export interface Step {
  id: StepId;
  title: string;
  state: StepState;
  /** What was recorded, or why the step is not possible yet. */
  summary: string;
}

const kTitles: Record<StepId, string> = {
  decision: 'Decision to detain',
  search: 'Protective search (s136C)',
  place: 'Place of safety',
  conveyance: 'Conveyance',
  arrival: 'Arrival (starts the clock)',
  welfare: 'Welfare checks at the police station',
  handover: 'Handover to health',
  extension: 'Extension (s136B)',
  transfer: 'Transfer',
  outcome: 'Outcome',
};

export const kPlaceKinds: Record<string, string> = {
  hbpos: 'Health-based place of safety',
  emergency_department: 'Emergency department',
  police_station: 'Police station',
  other: 'Other place',
};

export const kOutcomes: ReadonlyArray<readonly [string, string]> = [
  ['admitted_informally', 'Admitted informally'],
  ['detained_s2', 'Detained under s2'],
  ['detained_s3', 'Detained under s3'],
  ['discharged_with_follow_up', 'Discharged with follow-up'],
  ['no_mental_disorder', 'No mental disorder found'],
  ['other', 'Other'],
];

export const kConsultRoles: ReadonlyArray<readonly [string, string]> = [
  ['registered_nurse', 'Registered nurse'],
  ['registered_medical_practitioner', 'Registered medical practitioner'],
  ['amhp', 'AMHP'],
  ['paramedic', 'Paramedic'],
  ['occupational_therapist', 'Occupational therapist'],
];

/**
 * What the decision to detain rests on, as the record has it: the s136 grounds and who was
 * consulted (or why nobody could be), or the s135 warrant. [label, text] pairs; what was not
 * recorded is left out.
 */
export function decisionFacts(d: Pick<Detention, 'power' | 'grounds' | 'consultation' | 'warrant'>, nowMs: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (labelText: string, v: unknown) => {
    if (typeof v === 'string' && v.trim()) out.push([labelText, v]);
  };
  const g = d.grounds ?? {};
  add('Mental disorder: the person appears to be suffering from it because', g.mental_disorder);
  add('Immediate need of care or control because', g.care_or_control);
  add('Removal necessary because', g.necessity);
  const c = d.consultation ?? {};
  if (c.name) {
    const role = c.role ? ` (${label(kConsultRoles, c.role)})` : '';
    const at = c.at ? `, ${formatTime(c.at, nowMs)}` : '';
    add('Consulted', `${c.name}${role}${at}`);
    add('Advice given', c.advice);
  } else {
    add('Not consulted, because', c.impracticable_reason);
  }
  const w = d.warrant ?? {};
  if (w.reference) {
    const issued = [w.issued_by ? `issued by ${w.issued_by}` : '', w.issued_at ? formatTime(w.issued_at, nowMs) : ''].filter(Boolean).join(', ');
    add('Warrant', `${w.reference}${issued ? ` (${issued})` : ''}`);
    add('AMHP present', w.amhp);
    add('Registered medical practitioner present', w.doctor);
  }
  return out;
}

function label(options: ReadonlyArray<readonly [string, string]>, v: string): string {
  return options.find(([k]) => k === v)?.[1] ?? v.replace(/_/g, ' ');
}

export function atPoliceStation(d: Detention): boolean {
  const p = d.place_of_safety;
  return d.status === 'at_place_of_safety' && !!p && !!p.arrived_at && p.kind === 'police_station';
}

/** The steps of a detention, in order, each with its state. */
export function detentionSteps(d: Detention, nowMs: number): Step[] {
  const ended = d.status === 'ended';
  const place = d.place_of_safety;
  const arrived = !!place?.arrived_at;
  const conveyed = d.conveyances.length > 0 || d.kept_at_location;
  const h = d.handover;
  const t = (iso: string | null | undefined) => formatTime(iso, nowMs);
  const siteName = (p: { site_name: string; site_id: string }) => (p.site_name || p.site_id).replace(/_/g, ' ');
  const steps: Step[] = [];
  const add = (id: StepId, state: StepState, summary: string) => steps.push({ id, title: kTitles[id], state, summary });

  add('decision', 'done', `${d.power} at ${t(d.decided_at)}, ${d.location_type.replace(/_/g, ' ')}`);
  if (d.searches.length > 0) add('search', 'done', `${d.searches.length} recorded`);
  else add('search', ended || arrived ? 'later' : 'open', ended ? 'not recorded' : 'only if there are grounds');

  if (place) {
    const where = `${kPlaceKinds[place.kind] ?? place.kind}: ${siteName(place)}`;
    add('place', 'done', arrived ? where : `${where} (chosen ${t(place.chosen_at)})`);
  } else {
    add('place', ended ? 'later' : 'next', ended ? 'not recorded' : 'choose where the person is taken');
  }

  if (d.kept_at_location) add('conveyance', 'done', d.power === 's135' ? 'kept at the premises: no conveyance' : 'kept where found: no conveyance');
  else if (d.conveyances.length > 0) {
    const c = d.conveyances[d.conveyances.length - 1];
    add('conveyance', 'done', c.mode === 'police_vehicle' ? `police vehicle (${c.police_vehicle_reason.replace(/_/g, ' ')})` : c.mode.replace(/_/g, ' '));
  } else if (arrived || ended) add('conveyance', 'later', 'not recorded');
  else add('conveyance', place ? 'next' : 'open', 'ambulance by default; a police vehicle needs a reason');

  if (arrived) add('arrival', 'done', `${t(place!.arrived_at)} at ${siteName(place!)}`);
  else if (ended) add('arrival', 'later', 'not recorded');
  else add('arrival', place && conveyed ? 'next' : 'later', place ? 'record it when you get there' : 'choose the place first');

  if (atPoliceStation(d)) {
    const n = d.police_station.checks.length;
    add('welfare', 'next', `${n} recorded; next due ${t(d.police_station.welfare_due)}`);
  } else if (d.police_station.checks.length > 0) {
    add('welfare', 'done', `${d.police_station.checks.length} recorded`);
  }

  if (h.officers_left_at) add('handover', 'done', `accepted by ${h.accepted_by || 'health'} ${t(h.accepted_at)}; officers left ${t(h.officers_left_at)}`);
  else if (!arrived || ended) add('handover', 'later', ended ? 'not completed' : 'starts on arrival');
  else if (h.accepted_at) add('handover', 'next', `accepted by ${h.accepted_by} at ${t(h.accepted_at)}: record when officers leave`);
  else if (h.requested_at) {
    // Counted on the live clock from arrival (as the server counts it), not frozen at the last read.
    const waited = h.arrived_at ? Math.floor((nowMs - parseIso(h.arrived_at)) / 60_000) : (h.waited_minutes ?? 0);
    add('handover', 'next', `requested ${t(h.requested_at)}, waiting ${formatMinutes(waited)}`);
  }
  else add('handover', 'next', 'request the handover');

  if (d.extension) add('extension', 'done', `to ${t(d.clock.extended_until)}`);
  else if (ended) add('extension', 'later', 'not extended');
  else add('extension', arrived ? 'open' : 'later', arrived ? 'only by the examining doctor, before the period ends' : 'once the clock has started');

  const transfers = d.places.filter((p) => p.transfer).length;
  if (transfers > 0 && (ended || !arrived)) add('transfer', 'done', `${transfers} recorded`);
  else if (ended) add('transfer', 'later', 'no transfer');
  else add('transfer', arrived && !ended ? 'open' : 'later', transfers > 0 ? `${transfers} recorded; the clock keeps running` : 'the clock keeps running');

  if (d.outcome) add('outcome', 'done', `${label(kOutcomes, d.outcome.outcome)} at ${t(d.outcome.ended_at)}`);
  else add('outcome', arrived ? (h.accepted_at ? 'next' : 'open') : 'open', 'ends the detention');
  return steps;
}

/** The first step to do now, if any. */
export function nextStep(steps: Step[]): StepId | null {
  return steps.find((s) => s.state === 'next')?.id ?? null;
}

export interface ClockView {
  tone: 'ok' | 'warn' | 'late' | 'none';
  text: string;
}

/** The detention clock in words, from the record and the server-adjusted now. */
export function clockView(d: Detention, nowMs: number): ClockView {
  const c = d.clock;
  if (d.status === 'ended') {
    return { tone: 'none', text: `Ended ${formatTime(d.outcome?.ended_at ?? null, nowMs)}` };
  }
  if (!c.started_at || !c.ends_at) {
    return { tone: 'none', text: 'Clock not started: it starts on arrival at the place of safety' };
  }
  const end = parseIso(c.ends_at);
  const left = end - nowMs;
  const extended = c.extended_until ? ' (extended)' : '';
  if (c.expired || left <= 0) {
    return { tone: 'late', text: `Period ended ${formatTime(c.ends_at, nowMs)}${extended}: the person may no longer be detained under it` };
  }
  const tone = left <= 2 * 3600_000 ? 'warn' : 'ok';
  return { tone, text: `Ends ${formatTime(c.ends_at, nowMs)}${extended} — ${formatDuration(left)} left (started ${formatTime(c.started_at, nowMs)})` };
}

/** The next handover stage to record. */
export function nextHandoverStage(d: Detention): 'requested' | 'accepted' | 'officers_left' | null {
  const h = d.handover;
  if (!h.arrived_at || h.officers_left_at) return null;
  if (!h.requested_at) return 'requested';
  if (!h.accepted_at) return 'accepted';
  return 'officers_left';
}

/** A board row's clock in words: the same wording as the detention screen. */
export function boardClockView(d: BoardDetention, nowMs: number): ClockView {
  const ends = d.clock.extended_until ?? d.clock.expires_at;
  if (!d.clock.started_at || !ends) {
    return { tone: 'none', text: d.place ? `Not arrived at ${d.place.site_name || 'the place of safety'}: clock not started` : 'No place of safety yet: clock not started' };
  }
  const left = parseIso(ends) - nowMs;
  const extended = d.clock.extended_until ? ' (extended)' : '';
  if (d.clock.expired || left <= 0) return { tone: 'late', text: `Period ended ${formatTime(ends, nowMs)}${extended}` };
  return { tone: left <= 2 * 3600_000 ? 'warn' : 'ok', text: `Ends ${formatTime(ends, nowMs)}${extended} — ${formatDuration(left)} left` };
}

/** Officers still waiting for health to accept the handover, in minutes; null when not waiting. */
export function handoverWaitMinutes(d: BoardDetention, nowMs: number): number | null {
  const h = d.handover;
  if (!h.arrived_at || h.accepted_at || h.officers_left_at) return null;
  return Math.max(0, Math.floor((nowMs - parseIso(h.arrived_at)) / 60_000));
}
