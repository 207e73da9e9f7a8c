// What the officer's own screen must tell them, in words: that their unit was
// stood down from an incident by someone else (who, when, why: from the
// incident's timeline, the stand-down event's actor and reason), and that an
// incident nearby, an emergency above all, already has the units it needs.
// Pure, with a small memory in sessionStorage so a stand-down that happened
// while the officer was on another screen is still told when they come back.

import type { Incident, IncidentDetail } from '../api/types';
import { roleLabel } from './roles';
import { formatTime } from './time';

export interface StandDownNotice {
  incident_id: string;
  reference: string;
  /** When the unit was stood down (ISO). */
  at: string;
  /** Who stood it down: the event's actor. */
  by_role: string;
  by_user: string;
  reason: string;
}

/**
 * The stand-down of `unitId` from `incident`, or null when its assignment there did not end in a
 * stand-down (the unit cleared itself, the incident closed, it is still assigned).
 */
export function standDownOf(incident: IncidentDetail, unitId: string): StandDownNotice | null {
  const a = incident.assignments.find((x) => x.unit_id === unitId);
  if (!a || a.state !== 'stood_down') return null;
  const event = [...(incident.timeline ?? [])]
    .sort((x, y) => y.seq - x.seq)
    .find((e) => e.type === 'assignment.stood_down' && e.data.unit_id === unitId);
  const reason = event?.data.reason;
  return {
    incident_id: incident.id,
    reference: incident.reference,
    at: event?.at ?? a.stood_down_at ?? '',
    by_role: event?.actor.role ?? '',
    by_user: event?.actor.user_id ?? '',
    reason: typeof reason === 'string' ? reason : '',
  };
}

/**
 * "by the controller", "by a response officer" (an emergency called off), "by the system"; with
 * the person's name once known: "by the controller, Sam Patel".
 */
export function standDownBy(n: Pick<StandDownNotice, 'by_role' | 'by_user'>, name?: string): string {
  if (n.by_role === 'system' || n.by_user === 'system') return 'by the system';
  if (!n.by_role) return '';
  const role = n.by_role === 'officer' ? 'by a response officer' : `by the ${roleLabel(n.by_role).toLowerCase()}`;
  return name ? `${role}, ${name}` : role;
}

/** "Stood down from CAD 8/29NOV26 by the controller, Sam Patel, at 03:31 — needed at a grade I call". */
export function standDownText(n: StandDownNotice, nowMs: number, name?: string): string {
  const at = n.at ? `at ${formatTime(n.at, nowMs)}` : '';
  const named = Boolean(name) && standDownBy(n) !== standDownBy(n, name);
  const by = standDownBy(n, name) + (named && at ? ',' : '');
  const head = ['Stood down from', n.reference, by, at].filter(Boolean).join(' ');
  return n.reason ? `${head} — ${n.reason}` : head;
}

/** The incidents the unit had at the last look, and the notices not yet dismissed. */
export interface OfficerMemory {
  unit_id: string;
  known: string[];
  notices: StandDownNotice[];
}

/**
 * After a load: the incidents the unit no longer has (to be asked why), and the memory to keep.
 * A different unit (the officer booked on to another) starts a new memory.
 */
export function incidentsGone(memory: OfficerMemory | null, unitId: string, current: readonly string[]): string[] {
  if (!memory || memory.unit_id !== unitId) return [];
  return memory.known.filter((id) => !current.includes(id));
}

/** Adds notices not already held (one per incident and time). */
export function withNotices(held: readonly StandDownNotice[], found: readonly StandDownNotice[]): StandDownNotice[] {
  const out = [...held];
  for (const n of found) {
    if (!out.some((h) => h.incident_id === n.incident_id && h.at === n.at)) out.push(n);
  }
  return out;
}

const kMemoryKey = (userId: string) => `concordat.officer.${userId}`;

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // Storage blocked by browser settings: notices last as long as the screen.
  }
}

export function loadOfficerMemory(userId: string): OfficerMemory | null {
  try {
    const raw = storage()?.getItem(kMemoryKey(userId));
    const m = raw ? (JSON.parse(raw) as OfficerMemory) : null;
    return m && Array.isArray(m.known) && Array.isArray(m.notices) ? m : null;
  } catch {
    return null;
  }
}

export function saveOfficerMemory(userId: string, memory: OfficerMemory): void {
  try {
    storage()?.setItem(kMemoryKey(userId), JSON.stringify(memory));
  } catch {
    // Full or blocked: the notices still show on this screen.
  }
}

/**
 * An incident nearby that already has the units it needs, in words the officer cannot miss, or
 * null when it still needs units. The officer was not sent: going needs a reason.
 */
export function resourcedWording(incident: Pick<Incident, 'resourced' | 'emergency' | 'assigned_count' | 'recommended_attendance'>): string | null {
  if (!incident.resourced) return null;
  const count = `${incident.assigned_count} of ${incident.recommended_attendance} assigned`;
  return incident.emergency
    ? `Enough units are going to this emergency (${count}). You were not sent: stay available unless you are asked.`
    : `Enough units are assigned (${count}). You were not sent: self-deploying needs a reason.`;
}
