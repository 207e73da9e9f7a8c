// The unit status board's grouping and wording.

import type { CodeName, Unit } from '../api/types';

export function unitBcuCode(unit: Unit): string | null {
  const b = unit.bcu;
  if (!b) return null;
  return typeof b === 'string' ? b : b.code;
}

export interface UnitGroup {
  /** The BCU code, or "" for units with no BCU. */
  code: string;
  name: string;
  units: Unit[];
}

/**
 * Units grouped by BCU, groups in name order with "No BCU" last, units by call
 * sign within a group. Names come from the unit itself or from `bcuNames`.
 */
export function groupUnitsByBcu(units: readonly Unit[], bcuNames: ReadonlyMap<string, string>): UnitGroup[] {
  const groups = new Map<string, UnitGroup>();
  for (const u of units) {
    const code = unitBcuCode(u) ?? '';
    let g = groups.get(code);
    if (!g) {
      const own = typeof u.bcu === 'object' && u.bcu ? (u.bcu as CodeName).name : undefined;
      g = { code, name: code ? (own ?? bcuNames.get(code) ?? code) : 'No BCU', units: [] };
      groups.set(code, g);
    }
    g.units.push(u);
  }
  const byCallSign = (a: Unit, b: Unit) => a.call_sign.localeCompare(b.call_sign, 'en-GB', { numeric: true });
  return [...groups.values()]
    .map((g) => ({ ...g, units: g.units.sort(byCallSign) }))
    .sort((a, b) => (a.code === '' ? 1 : 0) - (b.code === '' ? 1 : 0) || a.name.localeCompare(b.name));
}

export type StatusTone = 'ok' | 'busy' | 'warn' | 'off';

export function unitStatusTone(status: string): StatusTone {
  switch (status) {
    case 'available':
      return 'ok';
    case 'en_route':
    case 'at_scene':
    case 'transporting':
    case 'at_hospital':
      return 'busy';
    case 'off_duty':
      return 'off';
    default:
      return 'warn';
  }
}

/** True when a crew member's skills include mental-health training. */
export function hasMentalHealthSkill(unit: Unit): boolean {
  if (typeof unit.mental_health_trained === 'boolean') return unit.mental_health_trained;
  return unit.crew.some((c) => c.skills.some((s) => /mental|\bmh\b/i.test(s)));
}
