import { describe, expect, it } from 'vitest';
import type { Unit } from '../api/types';
import { groupUnitsByBcu, hasMentalHealthSkill, unitStatusShown, unitStatusTone } from './units';

const unit = (call_sign: string, bcu: Unit['bcu'], skills: string[] = []): Unit => ({
  id: call_sign,
  call_sign,
  bcu,
  status: 'available',
  location: null,
  crew: [{ collar: '1', name: 'A', rank: 'PC', skills }],
});

describe('groupUnitsByBcu', () => {
  it('groups by BCU name, numbers in call signs sorted as numbers, no-BCU last', () => {
    const names = new Map([
      ['CN', 'Central North'],
      ['AW', 'Central West'],
    ]);
    const groups = groupUnitsByBcu(
      [unit('CN10', 'CN'), unit('X1', null), unit('AW1', 'AW'), unit('CN2', { code: 'CN', name: 'Central North' })],
      names,
    );
    expect(groups.map((g) => [g.code, g.name, g.units.map((u) => u.call_sign)])).toEqual([
      ['CN', 'Central North', ['CN2', 'CN10']],
      ['AW', 'Central West', ['AW1']],
      ['', 'No BCU', ['X1']],
    ]);
  });
  it('falls back to the code when the name is unknown', () => {
    expect(groupUnitsByBcu([unit('ZZ1', 'ZZ')], new Map())[0].name).toBe('ZZ');
  });
});

describe('unit wording', () => {
  it('tones statuses', () => {
    expect(unitStatusTone('available')).toBe('ok');
    expect(unitStatusTone('at_scene')).toBe('busy');
    expect(unitStatusTone('unavailable')).toBe('warn');
  });
  it('spots mental-health training', () => {
    expect(hasMentalHealthSkill(unit('A', null, ['mental_health_trained']))).toBe(true);
    expect(hasMentalHealthSkill(unit('A', null, ['taser']))).toBe(false);
  });
});

describe('unitStatusShown', () => {
  it('does not show a committed crew that has not said it is moving as en route', () => {
    expect(unitStatusShown({ status: 'en_route', assignment_state: 'assigned' })).toEqual({ label: 'Assigned, not yet en route', tone: 'warn' });
    expect(unitStatusShown({ status: 'en_route', assignment_state: 'en_route' })).toEqual({ label: 'En route', tone: 'busy' });
    expect(unitStatusShown({ status: 'available', assignment_state: null })).toEqual({ label: 'Available', tone: 'ok' });
    expect(unitStatusShown({ status: 'at_scene' })).toEqual({ label: 'At scene', tone: 'busy' });
  });
});
