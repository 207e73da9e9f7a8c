import { describe, expect, it } from 'vitest';
import type { Incident } from '../api/types';
import { flagLabel, gradeRank, humanise, incidentTarget, normaliseGrade, sortQueue, targetPhrase } from './queue';

function incident(reference: string, grade: string, target_at: string | null, created_at = '2025-01-04T11:00:00.000000Z'): Incident {
  return {
    id: reference,
    reference,
    grade,
    type: 'concern_for_welfare',
    flags: [],
    status: 'open',
    description: '',
    location: { lat: 51.5, lon: -0.1, address: '', type: 'public_place' },
    borough: null,
    bcu: null,
    created_at,
    target_at,
    assigned_count: 0,
    recommended_attendance: 1,
  };
}

describe('sortQueue', () => {
  it('orders by grade I, S, E, R, then by time to target', () => {
    const sorted = sortQueue([
      incident('r1', 'R', '2025-01-04T11:00:00Z'),
      incident('e1', 'E', '2025-01-04T13:00:00Z'),
      incident('i2', 'I', '2025-01-04T12:15:00Z'),
      incident('s1', 'S', '2025-01-04T12:30:00Z'),
      incident('i1', 'I', '2025-01-04T12:05:00Z'),
      incident('e0', 'E', '2025-01-04T12:40:00Z'),
    ]);
    expect(sorted.map((i) => i.reference)).toEqual(['i1', 'i2', 's1', 'e0', 'e1', 'r1']);
  });
  it('puts the most overdue first within a grade and no-target last', () => {
    const sorted = sortQueue([
      incident('none', 'S', null),
      incident('later', 'S', '2025-01-04T12:30:00Z'),
      incident('overdue', 'S', '2025-01-04T11:50:00Z'),
    ]);
    expect(sorted.map((i) => i.reference)).toEqual(['overdue', 'later', 'none']);
  });
  it('breaks ties by creation time, and puts unknown grades last', () => {
    const sorted = sortQueue([
      incident('x', 'X', '2025-01-04T10:00:00Z'),
      incident('b', 'I', null, '2025-01-04T11:05:00Z'),
      incident('a', 'I', null, '2025-01-04T11:01:00Z'),
    ]);
    expect(sorted.map((i) => i.reference)).toEqual(['a', 'b', 'x']);
  });
  it('puts an open emergency-button incident before everything else, however overdue the rest', () => {
    const emergency = { ...incident('em', 'I', '2025-01-04T12:20:00Z', '2025-01-04T12:05:00Z'), emergency: true };
    const over = { ...emergency, reference: 'em-closed', id: 'em-closed', status: 'closed' };
    const sorted = sortQueue([
      incident('overdue', 'I', '2025-01-04T09:00:00Z'),
      over,
      emergency,
      incident('i1', 'I', '2025-01-04T12:05:00Z'),
    ]);
    expect(sorted.map((i) => i.reference)).toEqual(['em', 'overdue', 'i1', 'em-closed']);
  });
  it('does not change its input', () => {
    const input = [incident('r', 'R', null), incident('i', 'I', null)];
    sortQueue(input);
    expect(input.map((i) => i.reference)).toEqual(['r', 'i']);
  });
});

describe('grades and flags', () => {
  it('accepts letters and names', () => {
    expect(normaliseGrade('immediate')).toBe('I');
    expect(normaliseGrade('s')).toBe('S');
    expect(gradeRank('Referred')).toBe(3);
    expect(gradeRank('?')).toBe(4);
  });
  it('labels flags for badges', () => {
    expect(flagLabel('mental_health')).toBe('Mental health');
    expect(flagLabel('self-harm')).toBe('Self harm');
  });
  it('writes codes in sentence case', () => {
    expect(humanise('concern_for_welfare')).toBe('Concern for welfare');
    expect(humanise('')).toBe('');
  });
});

describe('the queue with live targets', () => {
  const now = Date.parse('2025-01-04T12:00:00Z');
  const base = incident('x', 'I', '2025-01-04T12:10:00Z');
  it('sorts attended incidents after those still waiting, and closed ones last', () => {
    const sorted = sortQueue([
      { ...incident('closed', 'I', '2025-01-04T11:00:00Z'), status: 'closed' },
      { ...incident('attended', 'I', '2025-01-04T11:30:00Z'), time_to_target_seconds: null, target_met: true },
      { ...incident('waiting', 'I', '2025-01-04T12:20:00Z'), time_to_target_seconds: 1200 },
      incident('s', 'S', '2025-01-04T12:05:00Z'),
    ]);
    expect(sorted.map((i) => i.reference)).toEqual(['waiting', 'attended', 's', 'closed']);
  });
  it('words the target: countdown, overdue, met, missed, none, closed', () => {
    expect(incidentTarget(base, now)).toEqual({ tone: 'pending', overdue: false, text: 'in 10 min' });
    expect(incidentTarget({ ...base, target_at: '2025-01-04T11:57:00Z' }, now)).toEqual({
      tone: 'overdue',
      overdue: true,
      text: 'overdue 3 min',
    });
    expect(incidentTarget({ ...base, overdue: true }, now).overdue).toBe(true); // the server's word counts
    expect(incidentTarget({ ...base, target_met: true, time_to_target_seconds: null }, now).text).toBe('target met');
    expect(incidentTarget({ ...base, target_met: false, time_to_target_seconds: null }, now).tone).toBe('missed');
    expect(incidentTarget({ ...base, target_at: null }, now).text).toBe('no target');
    expect(incidentTarget({ ...base, status: 'closed', closed_at: '2025-01-04T11:45:00Z' }, now).text).toBe('closed 11:45');
  });
  it('makes a phrase of the target for headings', () => {
    expect(targetPhrase(incidentTarget(base, now))).toBe('Target in 10 min');
    expect(targetPhrase(incidentTarget({ ...base, target_met: true, time_to_target_seconds: null }, now))).toBe('Target met');
    expect(targetPhrase(incidentTarget({ ...base, target_at: null }, now))).toBe('No target');
  });
});
