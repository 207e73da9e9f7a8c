import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Alert, Assignment, Incident, TimelineEvent, Unit } from '../api/types';
import {
  alertReadingOrder,
  allowedTransitions,
  likelyNext,
  buildIncidentCreate,
  defaultFlags,
  defaultGrade,
  describeEvent,
  distanceMetres,
  emptyIncidentForm,
  findMyUnit,
  formatDistance,
  isActiveAssignment,
  nearbyIncidents,
  openStatusPrompts,
  parseCoordinates,
  readAdvisory,
  sortAssignments,
  suggestedStandDown,
  unitIncidentIds,
} from './cad';

describe('the create form', () => {
  it('starts as a 999 call in a public place, grade and flags from the type', () => {
    const f = emptyIncidentForm();
    expect(f.channel).toBe('999');
    expect(f.locationType).toBe('public_place');
    expect(f.type).toBe('mental_health');
    expect(f.grade).toBe('I');
    expect(f.flags).toEqual(['mental_health']);
    expect(defaultGrade('theft')).toBe('E');
    expect(defaultGrade('something_new')).toBe('S');
    expect(defaultFlags('weapons')).toEqual(['weapons']);
  });

  it('builds the body with coordinates, address, flags, description and caller', () => {
    const r = buildIncidentCreate({
      ...emptyIncidentForm('concern_for_welfare'),
      address: ' 1 High St ',
      lat: '51.5008',
      lon: '-0.1219',
      flags: ['vulnerability', 'children', 'children'],
      description: ' neighbour worried ',
      callerName: 'A Caller',
    });
    expect(r).toEqual({
      ok: true,
      body: {
        channel: '999',
        type: 'concern_for_welfare',
        grade: 'S',
        location: { type: 'public_place', address: '1 High St', lat: 51.5008, lon: -0.1219 },
        flags: ['vulnerability', 'children'],
        description: 'neighbour worried',
        caller: { name: 'A Caller' },
      },
    });
  });

  it('accepts an address alone, or coordinates pasted into latitude', () => {
    const a = buildIncidentCreate({ ...emptyIncidentForm(), address: 'Brixton Road' });
    expect(a.ok && a.body.location).toEqual({ type: 'public_place', address: 'Brixton Road' });
    const b = buildIncidentCreate({ ...emptyIncidentForm(), lat: '51.4613, -0.1156' });
    expect(b.ok && b.body.location).toEqual({ type: 'public_place', lat: 51.4613, lon: -0.1156 });
  });

  it('asks for a location, and for both coordinates in range', () => {
    expect(buildIncidentCreate(emptyIncidentForm())).toEqual({
      ok: false,
      errors: { address: 'Give an address, or a latitude and longitude.' },
    });
    const r = buildIncidentCreate({ ...emptyIncidentForm(), lat: '95', lon: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['lat', 'lon']);
    const t = buildIncidentCreate({ ...emptyIncidentForm(), type: 'Not A Code', address: 'x' });
    expect(t.ok).toBe(false);
  });
});

describe('parseCoordinates', () => {
  it('reads the usual ways of writing a point', () => {
    expect(parseCoordinates('51.5008, -0.1219')).toEqual({ lat: 51.5008, lon: -0.1219 });
    expect(parseCoordinates('51.5008 -0.1219')).toEqual({ lat: 51.5008, lon: -0.1219 });
    expect(parseCoordinates('51.5008° N, 0.1219° W')).toEqual({ lat: 51.5008, lon: -0.1219 });
    expect(parseCoordinates('51.5N;0.12E')).toEqual({ lat: 51.5, lon: 0.12 });
  });
  it('refuses what is not a point', () => {
    expect(parseCoordinates('51.5')).toBeNull();
    expect(parseCoordinates('91, 0')).toBeNull();
    expect(parseCoordinates('Westminster Bridge')).toBeNull();
  });
});

const assignment = (unit_id: string, state: string, assigned_at = '2026-11-27T06:00:00.000000Z'): Assignment => ({
  unit_id,
  call_sign: unit_id.replace('unit-', ''),
  mode: 'dispatched',
  dispatched_by: 'user-controller',
  state,
  reason: '',
  after_advisory: false,
  assigned_at,
  en_route_at: null,
  at_scene_at: null,
  left_scene_at: null,
  cleared_at: null,
  stood_down_at: null,
});

describe('assignments', () => {
  it('offers the transitions the server allows', () => {
    expect(allowedTransitions('assigned')).toEqual(['en_route', 'at_scene', 'cleared']);
    expect(allowedTransitions('en_route')).toEqual(['at_scene', 'cleared']);
    expect(allowedTransitions('at_scene')).toEqual(['left_scene', 'cleared']);
    expect(allowedTransitions('left_scene')).toEqual(['at_scene', 'cleared']);
    expect(allowedTransitions('stood_down')).toEqual([]);
    expect(allowedTransitions('cleared')).toEqual([]);
  });
  it('draws the usual next step as the main button, one the server allows', () => {
    expect(likelyNext('assigned')).toBe('en_route');
    expect(likelyNext('en_route')).toBe('at_scene');
    expect(likelyNext('at_scene')).toBe('cleared');
    expect(likelyNext('left_scene')).toBe('cleared');
    expect(likelyNext('cleared')).toBeNull();
    expect(likelyNext('stood_down')).toBeNull();
    for (const s of ['assigned', 'en_route', 'at_scene', 'left_scene']) {
      expect(allowedTransitions(s)).toContain(likelyNext(s));
    }
  });
  it('lists active assignments before finished ones, each in order of assignment', () => {
    const sorted = sortAssignments([
      assignment('unit-A', 'stood_down', '2026-11-27T06:00:00Z'),
      assignment('unit-B', 'at_scene', '2026-11-27T06:02:00Z'),
      assignment('unit-C', 'assigned', '2026-11-27T06:01:00Z'),
    ]);
    expect(sorted.map((a) => a.unit_id)).toEqual(['unit-C', 'unit-B', 'unit-A']);
    expect(isActiveAssignment('left_scene')).toBe(true);
    expect(isActiveAssignment('stood_down')).toBe(false);
  });
});

const unit = (id: string, collars: string[], fix: [number, number] | null = null, extra: Partial<Unit> = {}): Unit => ({
  id,
  call_sign: id.replace('unit-', ''),
  bcu: 'AW',
  status: 'available',
  location: fix ? { lat: fix[0], lon: fix[1], fixed_at: '2026-11-27T06:00:00Z', accuracy_m: 10 } : null,
  crew: collars.map((collar) => ({ collar, name: collar, rank: 'PC', skills: [] })),
  ...extra,
});

const incident = (id: string, lat: number | null, lon: number | null, status = 'open'): Incident => ({
  id,
  reference: `CAD ${id}`,
  grade: 'S',
  type: 'concern_for_welfare',
  flags: [],
  status,
  description: '',
  location: { located: lat !== null, lat, lon, address: '', type: 'public_place' },
  borough: null,
  bcu: null,
  created_at: '2026-11-27T06:00:00Z',
  target_at: null,
  assigned_count: 0,
  recommended_attendance: 1,
});

describe("the officer's unit", () => {
  it('is the unit whose crew includes the collar', () => {
    const units = [unit('unit-AW12', ['AW-1003']), unit('unit-AW11', ['AW-1001', 'AW-1002'])].map((u) => ({
      ...u,
      location: null,
    }));
    expect(findMyUnit(units, 'AW-1002')?.id).toBe('unit-AW11');
    expect(findMyUnit(units, 'aw-1003 ')?.id).toBe('unit-AW12');
    expect(findMyUnit(units, 'XX-1')).toBeNull();
    expect(findMyUnit(units, undefined)).toBeNull();
  });
  it('is on its active incident first, then the stacked ones', () => {
    const u = unit('unit-AW11', [], null, { active_incident: 'inc-2', stacked: ['inc-5', 'inc-2'] });
    expect(unitIncidentIds(u)).toEqual(['inc-2', 'inc-5']);
    expect(unitIncidentIds(unit('unit-X', [], null, { active_incident: null }))).toEqual([]);
  });
  it('sees open incidents nearest first, unlocated last, without its own', () => {
    const me = unit('unit-AW11', [], [51.5, -0.12]);
    const list = nearbyIncidents(
      [
        incident('far', 51.6, -0.12),
        incident('near', 51.501, -0.12),
        incident('nowhere', null, null),
        incident('closed', 51.5, -0.12, 'closed'),
        incident('mine', 51.5, -0.12),
        incident('manchester', 53.48, -2.24),
      ],
      me,
      new Set(['mine']),
    );
    expect(list.map((n) => n.incident.id)).toEqual(['near', 'far', 'nowhere']);  // not Manchester
    expect(Math.round(list[0].distance_m!)).toBe(111);
    expect(list[2].distance_m).toBeNull();
  });
  it('measures and words distances', () => {
    expect(Math.round(distanceMetres({ lat: 51.5, lon: 0 }, { lat: 51.5, lon: 1 }) / 1000)).toBe(69);
    expect(formatDistance(847)).toBe('850 m');
    expect(formatDistance(3616)).toBe('3.6 km');
    expect(formatDistance(24400)).toBe('24 km');
  });
});

const alert = (id: string, type: string, extra: Partial<Alert> = {}): Alert => ({
  id,
  type,
  incident_id: 'inc-1',
  unit_ids: ['unit-AW11'],
  message: 'm',
  raised_at: '2026-11-27T06:00:00Z',
  acknowledged_at: null,
  acknowledged_by: null,
  ...extra,
});

describe('alerts', () => {
  it('reads the over-attendance suggested stand-down list', () => {
    const a = alert('alert-1', 'over_attendance', {
      data: {
        suggested_stand_down: [
          { unit_id: 'unit-X8', call_sign: 'X8', distance_m: 2400 },
          { unit_id: 'unit-X7', call_sign: 'X7', distance_m: 2100 },
          { nonsense: true },
        ],
      },
    });
    expect(suggestedStandDown(a).map((s) => s.call_sign)).toEqual(['X8', 'X7']);
    expect(suggestedStandDown(alert('alert-2', 'status_prompt'))).toEqual([]);
    expect(suggestedStandDown(alert('alert-3', 'over_attendance'))).toEqual([]);
  });

  it("shows a unit its status prompts until it is recorded at scene", () => {
    const alerts = [
      alert('p1', 'status_prompt'),
      alert('p2', 'status_prompt', { incident_id: 'inc-2' }),
      alert('p3', 'status_prompt', { unit_ids: ['unit-OTHER'] }),
      alert('p4', 'status_prompt', { acknowledged_at: '2026-11-27T06:01:00Z' }),
      alert('o1', 'over_attendance'),
    ];
    const states = new Map([
      ['inc-1', 'en_route'],
      ['inc-2', 'at_scene'],
    ]);
    expect(openStatusPrompts(alerts, 'unit-AW11', states).map((a) => a.id)).toEqual(['p1']);
    expect(openStatusPrompts(alerts, 'unit-AW11', new Map([['inc-1', 'stood_down']])).map((a) => a.id)).toEqual(['p2']);
  });

  it('finds the sufficient-resources advisory in a 422 on "confirm" only', () => {
    const advisory = { incident_id: 'inc-2', reference: 'CAD 2/27NOV26', recommended: 1, assigned: 1, attending: 1 };
    const err = new ApiError(422, {
      code: 'failed_precondition',
      message: 'Sufficient resources',
      field: 'confirm',
      details: { advisory },
    });
    expect(readAdvisory(err)).toEqual(advisory);
    expect(readAdvisory(new ApiError(422, { code: 'failed_precondition', message: 'x', field: 'unit_id' }))).toBeNull();
    expect(readAdvisory(new ApiError(403, { code: 'permission_denied', message: 'x', field: 'confirm' }))).toBeNull();
    expect(readAdvisory(new Error('x'))).toBeNull();
  });
});

describe('the timeline in words', () => {
  const ev = (type: string, data: Record<string, unknown>): TimelineEvent => ({
    seq: 1,
    at: '2026-11-27T06:00:00Z',
    type,
    actor: { user_id: 'user-controller', role: 'controller' },
    data,
  });
  const cs = (id: string) => id.replace('unit-', '');
  it('describes the events of an incident', () => {
    expect(describeEvent(ev('incident.created', { channel: '999', type: 'mental_health', grade: 'I' }), cs)).toBe(
      'Created from a 999 call: Mental health crisis, grade I',
    );
    expect(describeEvent(ev('incident.created', { channel: 'emergency_button', type: 'officer_assistance', grade: 'I' }), cs)).toBe(
      'Created from the emergency button: Officer assistance, grade I',
    );
    expect(
      describeEvent(
        ev('assignment.created', { unit_id: 'unit-TS07', mode: 'self_deployed', state: 'assigned', after_advisory: true, reason: 'heard it' }),
        cs,
      ),
    ).toBe('TS07 self-deployed after the sufficient-resources advisory — heard it');
    expect(describeEvent(ev('assignment.state_changed', { unit_id: 'unit-A1', from: 'en_route', state: 'at_scene' }), cs)).toBe(
      'A1: En route → At scene',
    );
    expect(describeEvent(ev('assignment.stood_down', { unit_id: 'unit-A1', reason: 'surplus' }), cs)).toBe('A1 stood down — surplus');
    expect(describeEvent(ev('incident.thrive_assessed', { version: 2, overall: 'high' }), cs)).toBe('THRIVE v2: overall high');
    expect(describeEvent(ev('incident.resourced', { assigned: 1, recommended: 1 }), cs)).toBe('Resourced: 1 of 1 unit assigned; self-deployment now needs a reason');
    expect(describeEvent(ev('incident.unresourced', { assigned: 1, recommended: 2 }), cs)).toBe('No longer resourced: 1 of 2 units');
    expect(describeEvent(ev('incident.regraded', { from: 'I', grade: 'S', reason: 'calmer' }), cs)).toBe('Regraded I → S — calmer');
    expect(describeEvent(ev('alert.raised', { alert_type: 'over_attendance', message: '7 units' }), cs)).toBe(
      'Alert (Over-attendance): 7 units',
    );
    expect(describeEvent(ev('incident.closed', { result_code: 'no_trace', summary: 'gone' }), cs)).toBe('Closed: No trace — gone');
    expect(
      describeEvent(ev('mh.triaged', { version: 1, threshold: 'risk_to_life', police_attend: true }), cs),
    ).toBe('Right Care Right Person triage v1: police attend (Risk to life)');
    expect(
      describeEvent(ev('mh.triaged', { version: 2, threshold: 'none', police_attend: false, signposted_to: 'crisis_team' }), cs),
    ).toBe('Right Care Right Person triage v2: police do not attend; signposted to Crisis team');
    expect(describeEvent(ev('incident.shared', { agency_id: 'trust-slam', reason: 'place_of_safety' }), cs)).toBe(
      'Shared with trust-slam: it runs the place of safety',
    );
    expect(describeEvent(ev('incident.shared', { agency_id: 'las', referral_id: 'ref-2' }), cs)).toBe('Shared with las with referral ref-2');
    expect(describeEvent(ev('something.new', {}), cs)).toBe('Something new');
  });
});

describe('alertReadingOrder', () => {
  it('puts over-attendance first and the per-unit status reminders last, newest first within each', () => {
    const at = (m: number) => `2026-11-29T03:${String(m).padStart(2, '0')}:00Z`;
    const alerts = [
      { id: 'a', type: 'status_not_updated', raised_at: at(30) },
      { id: 'b', type: 'over_attendance', raised_at: at(10) },
      { id: 'c', type: 'handover_wait', raised_at: at(20) },
      { id: 'd', type: 'status_prompt', raised_at: at(40) },
      { id: 'e', type: 'handover_wait', raised_at: at(25) },
    ];
    expect([...alerts].sort(alertReadingOrder).map((a) => a.id)).toEqual(['b', 'e', 'c', 'd', 'a']);
  });
});
