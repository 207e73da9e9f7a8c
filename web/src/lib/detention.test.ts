import { describe, expect, it } from 'vitest';
import type { Detention } from '../api/mh';
import { boardClockView, clockView, decisionFacts, detentionSteps, handoverWaitMinutes, nextHandoverStage, nextStep } from './detention';
import type { BoardDetention } from '../api/mh';

const kNow = Date.parse('2026-11-27T10:00:00Z');

function detention(over: Partial<Detention> = {}): Detention {
  return {
    id: 'det-5',
    incident_id: 'inc-1',
    incident_reference: 'CAD 1/27NOV26',
    power: 's136',
    status: 'detained',
    decided_at: '2026-11-27T09:00:00.000000Z',
    decided_by: 'user-officer',
    officer_collar: 'AW-1001',
    location_type: 'public_place',
    grounds: {},
    consultation: {},
    warrant: {},
    person: { date_of_birth: null, age: 34, appears_child: false, treated_as_child: false, sex: '', ethnicity: '', person_id: '' },
    kept_at_location: false,
    entered_at: null,
    searches: [],
    place_of_safety: null,
    places: [],
    conveyances: [],
    clock: { started_at: null, expires_at: null, extended_until: null, basis: null, ends_at: null, remaining_seconds: null, expired: false },
    extension: null,
    police_station: { welfare_due: null, review_due: null, checks: [] },
    handover: { arrived_at: null, requested_at: null, accepted_at: null, accepted_by: '', officers_left_at: null, waited_minutes: null, alert_at: null, escalations: [] },
    outcome: null,
    alerts: [],
    ...over,
  };
}

const place = (kind: string, arrived: string | null) => ({
  kind,
  site_id: 'pos-1',
  site_name: 'Maudsley',
  other_type: '',
  chosen_at: '2026-11-27T09:05:00Z',
  arrived_at: arrived,
  left_at: null,
  transfer: false,
  conditions: {},
});

const states = (d: Detention) => Object.fromEntries(detentionSteps(d, kNow).map((s) => [s.id, s.state]));

describe('the guided detention record', () => {
  it('starts with the place of safety as the next step', () => {
    const s = detentionSteps(detention(), kNow);
    expect(nextStep(s)).toBe('place');
    expect(states(detention())).toMatchObject({ decision: 'done', search: 'open', place: 'next', arrival: 'later', handover: 'later', extension: 'later' });
    expect(s.find((x) => x.id === 'welfare')).toBeUndefined(); // only at a police station
  });
  it('asks for conveyance, then arrival', () => {
    const chosen = detention({ place_of_safety: place('hbpos', null), places: [place('hbpos', null)] });
    expect(nextStep(detentionSteps(chosen, kNow))).toBe('conveyance');
    const conveyed = detention({ ...chosen, conveyances: [{ mode: 'ambulance', ambulance_requested_at: null, ambulance_eta: null, departed_at: null, police_vehicle_reason: '', reason_detail: '', recorded_at: '' }] });
    expect(nextStep(detentionSteps(conveyed, kNow))).toBe('arrival');
  });
  it('skips conveyance when the person was kept where found', () => {
    const kept = detention({ kept_at_location: true, place_of_safety: place('other', null), places: [place('other', null)] });
    expect(states(kept).conveyance).toBe('done');
    const s135 = detention({ power: 's135', kept_at_location: true, place_of_safety: { ...place('other', '2026-11-27T09:10:00Z'), site_name: 'premises_under_warrant' } });
    const steps = detentionSteps(s135, kNow);
    expect(steps.find((x) => x.id === 'conveyance')?.summary).toBe('kept at the premises: no conveyance');
    expect(steps.find((x) => x.id === 'arrival')?.summary).toBe('09:10 at premises under warrant');
    expect(nextStep(detentionSteps(kept, kNow))).toBe('arrival');
  });
  it('after arrival: handover next, extension and transfer optional, welfare checks at a police station', () => {
    const arrivedAt = '2026-11-27T09:30:00Z';
    const base: Partial<Detention> = {
      status: 'at_place_of_safety',
      conveyances: [{ mode: 'ambulance', ambulance_requested_at: null, ambulance_eta: null, departed_at: null, police_vehicle_reason: '', reason_detail: '', recorded_at: '' }],
      handover: { arrived_at: arrivedAt, requested_at: null, accepted_at: null, accepted_by: '', officers_left_at: null, waited_minutes: 30, alert_at: null, escalations: [] },
    };
    const hbpos = detention({ ...base, place_of_safety: place('hbpos', arrivedAt), places: [place('hbpos', arrivedAt)] });
    expect(states(hbpos)).toMatchObject({ arrival: 'done', handover: 'next', extension: 'open', transfer: 'open', search: 'later' });
    expect(nextHandoverStage(hbpos)).toBe('requested');
    const station = detention({ ...base, place_of_safety: place('police_station', arrivedAt), places: [place('police_station', arrivedAt)] });
    expect(nextStep(detentionSteps(station, kNow))).toBe('welfare');
  });
  it('walks the handover through its stages', () => {
    const h = { arrived_at: '2026-11-27T09:30:00Z', requested_at: '2026-11-27T09:31:00Z', accepted_at: null, accepted_by: '', officers_left_at: null, waited_minutes: 30, alert_at: null, escalations: [] };
    expect(nextHandoverStage(detention({ handover: h }))).toBe('accepted');
    expect(nextHandoverStage(detention({ handover: { ...h, accepted_at: '2026-11-27T09:40:00Z' } }))).toBe('officers_left');
    expect(nextHandoverStage(detention({ handover: { ...h, accepted_at: 'x', officers_left_at: 'y' } }))).toBeNull();
  });
  it('counts the handover wait on the live clock, in hours and minutes past the hour', () => {
    const arrivedAt = '2026-11-25T19:10:00Z'; // 38 h 50 min before kNow
    const h = { arrived_at: arrivedAt, requested_at: '2026-11-25T19:15:00Z', accepted_at: null, accepted_by: '', officers_left_at: null, waited_minutes: 5, alert_at: null, escalations: [] };
    const d = detention({ status: 'at_place_of_safety', handover: h, place_of_safety: place('hbpos', arrivedAt), places: [place('hbpos', arrivedAt)] });
    const step = detentionSteps(d, kNow).find((x) => x.id === 'handover');
    expect(step?.summary).toMatch(/^requested .*19:15, waiting 38 h 50 min$/);
  });
  it('has nothing left to do once ended', () => {
    const ended = detention({ status: 'ended', outcome: { outcome: 'detained_s2', end_reason: 'assessment_complete', notes: '', ended_at: '2026-11-27T09:50:00Z' } });
    const s = detentionSteps(ended, kNow);
    expect(nextStep(s)).toBeNull();
    expect(s.find((x) => x.id === 'outcome')?.summary).toBe('Detained under s2 at 09:50');
    expect(s.find((x) => x.id === 'extension')?.summary).toBe('not extended');
    expect(s.find((x) => x.id === 'transfer')?.summary).toBe('no transfer');
  });
});

describe('the clock in words', () => {
  it('says when it has not started', () => {
    expect(clockView(detention(), kNow)).toEqual({ tone: 'none', text: 'Clock not started: it starts on arrival at the place of safety' });
  });
  it('shows the end in London time with the date when not today, and what is left', () => {
    const d = detention({ clock: { started_at: '2026-11-27T09:30:00Z', expires_at: '2026-11-28T09:30:00Z', extended_until: null, basis: 'arrival', ends_at: '2026-11-28T09:30:00Z', remaining_seconds: 0, expired: false } });
    expect(clockView(d, kNow)).toEqual({ tone: 'ok', text: 'Ends Sat 28 Nov 09:30 — 23 h 30 min left (started 09:30)' });
  });
  it('warns in the last two hours and says when the period has ended', () => {
    const clock = { started_at: '2026-11-26T11:00:00Z', expires_at: '2026-11-27T11:00:00Z', extended_until: null, basis: 'arrival', ends_at: '2026-11-27T11:00:00Z', remaining_seconds: 0, expired: false };
    expect(clockView(detention({ clock }), kNow).tone).toBe('warn');
    const late = clockView(detention({ clock }), Date.parse('2026-11-27T11:00:00Z'));
    expect(late.tone).toBe('late');
    expect(late.text).toMatch(/^Period ended 11:00/);
  });
  it('marks an extended period', () => {
    const clock = { started_at: '2026-11-27T09:30:00Z', expires_at: '2026-11-28T09:30:00Z', extended_until: '2026-11-28T21:30:00Z', basis: 'arrival', ends_at: '2026-11-28T21:30:00Z', remaining_seconds: 0, expired: false };
    expect(clockView(detention({ clock }), kNow).text).toMatch(/^Ends Sat 28 Nov 21:30 \(extended\)/);
  });
});

describe('detentions on the board', () => {
  const row = (over: Partial<BoardDetention> = {}): BoardDetention => ({
    id: 'det-1',
    incident_id: 'inc-9',
    incident_reference: 'CAD 4/27NOV26',
    power: 's136',
    status: 'at_place_of_safety',
    place: { kind: 'hbpos', site_id: 'pos-1', site_name: 'Maudsley', arrived: true },
    clock: { started_at: '2026-11-27T09:00:00Z', expires_at: '2026-11-28T09:00:00Z', extended_until: null, remaining_seconds: 0, expired: false },
    handover: { arrived_at: '2026-11-27T09:00:00Z', accepted_at: null, officers_left_at: null },
    welfare_due: null,
    ...over,
  });
  it('show the clock with the date when the end is not today', () => {
    expect(boardClockView(row(), kNow)).toEqual({ tone: 'ok', text: 'Ends Sat 28 Nov 09:00 — 23 h 00 min left' });
    expect(boardClockView(row({ place: null, clock: { ...row().clock, started_at: null, expires_at: null } }), kNow).text).toBe('No place of safety yet: clock not started');
    expect(boardClockView(row({ clock: { ...row().clock, expired: true } }), kNow).tone).toBe('late');
  });
  it('count the handover wait until health accepts', () => {
    expect(handoverWaitMinutes(row(), kNow)).toBe(60);
    expect(handoverWaitMinutes(row({ handover: { arrived_at: '2026-11-27T09:00:00Z', accepted_at: '2026-11-27T09:20:00Z', officers_left_at: null } }), kNow)).toBeNull();
  });
});

describe('what the decision to detain rests on', () => {
  it('gives the s136 grounds and who was consulted, with their advice', () => {
    const facts = decisionFacts(
      {
        power: 's136',
        grounds: { mental_disorder: 'responding to voices', care_or_control: 'walking into traffic', necessity: 'risk of serious injury' },
        consultation: { name: 'Nurse Okafor', role: 'registered_nurse', at: '2026-11-27T09:40:00Z', advice: 'a place of safety is needed' },
        warrant: {},
      },
      kNow,
    );
    expect(facts).toEqual([
      ['Mental disorder: the person appears to be suffering from it because', 'responding to voices'],
      ['Immediate need of care or control because', 'walking into traffic'],
      ['Removal necessary because', 'risk of serious injury'],
      ['Consulted', 'Nurse Okafor (Registered nurse), 09:40'],
      ['Advice given', 'a place of safety is needed'],
    ]);
  });
  it('says why nobody was consulted, when that is the record', () => {
    const facts = decisionFacts({ power: 's136', grounds: {}, consultation: { impracticable_reason: 'violent; no time' }, warrant: {} }, kNow);
    expect(facts).toEqual([['Not consulted, because', 'violent; no time']]);
  });
  it('gives the s135 warrant and who was present', () => {
    const facts = decisionFacts({ power: 's135', grounds: {}, consultation: {}, warrant: { reference: 'W/1', issued_by: 'JP Smith', amhp: 'A Patel', doctor: 'Dr Mensah' } }, kNow);
    expect(facts).toEqual([
      ['Warrant', 'W/1 (issued by JP Smith)'],
      ['AMHP present', 'A Patel'],
      ['Registered medical practitioner present', 'Dr Mensah'],
    ]);
  });
});
