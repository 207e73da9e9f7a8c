// The unit status board's grouping and wording.

import type { CodeName, Unit } from '../api/types';
import { humanise } from './queue';

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

/**
 * The status a board shows for a unit: the server's status, except that a unit committed to an
 * incident whose crew has not yet said it is on its way reads "Assigned, not yet en route" (its
 * status is en route from the moment it is committed; a crew that never updates must not look
 * like one that is moving).
 */
export function unitStatusShown(unit: Pick<Unit, 'status' | 'assignment_state'>): { label: string; tone: StatusTone } {
  if (unit.status === 'en_route' && unit.assignment_state === 'assigned') {
    return { label: 'Assigned, not yet en route', tone: 'warn' };
  }
  return { label: humanise(unit.status), tone: unitStatusTone(unit.status) };
}

/** True when a crew member's skills include mental-health training. */
export function hasMentalHealthSkill(unit: Unit): boolean {
  if (typeof unit.mental_health_trained === 'boolean') return unit.mental_health_trained;
  return unit.crew.some((c) => c.skills.some((s) => /mental|\bmh\b/i.test(s)));
}
