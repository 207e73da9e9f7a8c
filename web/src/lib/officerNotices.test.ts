import { describe, expect, it } from 'vitest';
import type { IncidentDetail } from '../api/types';
import { incidentsGone, resourcedWording, standDownOf, standDownText, withNotices } from './officerNotices';
import type { StandDownNotice } from './officerNotices';

const kNow = Date.parse('2026-11-29T04:00:00Z');

function incident(state: string, timeline: IncidentDetail['timeline'] = []): IncidentDetail {
  return {
    id: 'inc-8',
    reference: 'CAD 8/29NOV26',
    assignments: [{ unit_id: 'unit-AW11', call_sign: 'AW11', state, stood_down_at: state === 'stood_down' ? '2026-11-29T03:31:10Z' : null }],
    timeline,
  } as unknown as IncidentDetail;
}

const standDownEvent = (seq: number, reason: string, role = 'supervisor') => ({
  seq,
  at: '2026-11-29T03:31:10Z',
  type: 'assignment.stood_down',
  actor: { user_id: `user-${role}`, role },
  data: { incident_id: 'inc-8', unit_id: 'unit-AW11', reason },
});

describe('a stand-down told to the officer', () => {
  it('says from which incident, by whom, when and why', () => {
    const n = standDownOf(incident('stood_down', [standDownEvent(40, 'Needed at a grade I in Pimlico')]), 'unit-AW11');
    expect(n).toEqual({
      incident_id: 'inc-8',
      reference: 'CAD 8/29NOV26',
      at: '2026-11-29T03:31:10Z',
      by_role: 'supervisor',
      by_user: 'user-supervisor',
      reason: 'Needed at a grade I in Pimlico',
    });
    expect(standDownText(n!, kNow)).toBe('Stood down from CAD 8/29NOV26 by the control room supervisor at 03:31 — Needed at a grade I in Pimlico');
  });
  it('takes the latest stand-down of the unit, and names a controller or the system', () => {
    const n = standDownOf(incident('stood_down', [standDownEvent(12, 'earlier', 'controller'), standDownEvent(40, 'surplus', 'controller')]), 'unit-AW11');
    expect(n?.reason).toBe('surplus');
    expect(standDownText(n!, kNow)).toBe('Stood down from CAD 8/29NOV26 by the controller at 03:31 — surplus');
    expect(standDownText(n!, kNow, 'Sam Patel')).toBe('Stood down from CAD 8/29NOV26 by the controller, Sam Patel, at 03:31 — surplus');
    expect(standDownText({ ...n!, at: '' }, kNow, 'Sam Patel')).toBe('Stood down from CAD 8/29NOV26 by the controller, Sam Patel — surplus');
    // The engine has no name to give.
    expect(standDownText({ ...n!, by_role: 'system', by_user: 'system', reason: '' }, kNow, 'System')).toBe('Stood down from CAD 8/29NOV26 by the system at 03:31');
    expect(standDownText({ ...n!, by_role: 'system', by_user: 'system', reason: '' }, kNow)).toBe('Stood down from CAD 8/29NOV26 by the system at 03:31');
    expect(standDownText({ ...n!, by_role: 'officer', reason: 'emergency cancelled by AW12: all OK' }, kNow)).toBe(
      'Stood down from CAD 8/29NOV26 by a response officer at 03:31 — emergency cancelled by AW12: all OK',
    );
  });
  it('is nothing when the unit cleared itself or is still assigned', () => {
    expect(standDownOf(incident('cleared'), 'unit-AW11')).toBeNull();
    expect(standDownOf(incident('en_route'), 'unit-AW11')).toBeNull();
    expect(standDownOf(incident('stood_down'), 'unit-AW12')).toBeNull();
  });
  it('still says when, from the assignment, without the timeline', () => {
    expect(standDownText(standDownOf(incident('stood_down'), 'unit-AW11')!, kNow)).toBe('Stood down from CAD 8/29NOV26 at 03:31');
  });
});

describe('what the officer view remembers between looks', () => {
  it('asks about the incidents the unit had and has no more, for the same unit only', () => {
    const memory = { unit_id: 'unit-AW11', known: ['inc-1', 'inc-8'], notices: [] };
    expect(incidentsGone(memory, 'unit-AW11', ['inc-1'])).toEqual(['inc-8']);
    expect(incidentsGone(memory, 'unit-AW12', [])).toEqual([]);
    expect(incidentsGone(null, 'unit-AW11', [])).toEqual([]);
  });
  it('keeps one notice per stand-down', () => {
    const n = standDownOf(incident('stood_down', [standDownEvent(40, 'x')]), 'unit-AW11') as StandDownNotice;
    expect(withNotices([n], [{ ...n }])).toHaveLength(1);
    expect(withNotices([n], [{ ...n, at: '2026-11-29T03:50:00Z' }])).toHaveLength(2);
  });
});

describe('an incident nearby with enough units', () => {
  it('says so plainly, an emergency above all', () => {
    expect(resourcedWording({ resourced: true, emergency: true, assigned_count: 4, recommended_attendance: 4 })).toBe(
      'Enough units are going to this emergency (4 of 4 assigned). You were not sent: stay available unless you are asked.',
    );
    expect(resourcedWording({ resourced: true, emergency: false, assigned_count: 1, recommended_attendance: 1 })).toBe(
      'Enough units are assigned (1 of 1 assigned). You were not sent: self-deploying needs a reason.',
    );
    expect(resourcedWording({ resourced: false, emergency: true, assigned_count: 2, recommended_attendance: 4 })).toBeNull();
  });
});
