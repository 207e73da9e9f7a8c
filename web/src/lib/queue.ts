// The incident queue's order and labels. An open emergency-button incident (an officer needing
// help) comes before everything else; then grades, most urgent first:
// I (immediate), S (significant), E (extended), R (referred). Within a grade
// the incident closest to (or furthest past) its target comes first; an
// incident whose target no longer runs (someone has arrived) or that has none
// follows those still waiting; closed incidents (the board keeps them for 30
// minutes) come last.

import type { Incident } from '../api/types';
import { formatDuration, formatTime, parseIso } from './time';

const kGrades = ['I', 'S', 'E', 'R'] as const;

export const kGradeNames: Record<string, string> = {
  I: 'Immediate',
  S: 'Significant',
  E: 'Extended',
  R: 'Referred',
};

/** "I" for "I", "i" or "immediate"; the input upper-cased otherwise. */
export function normaliseGrade(grade: string): string {
  const g = (grade ?? '').trim().toUpperCase();
  if (g.length <= 1) return g;
  const byName = kGrades.find((k) => kGradeNames[k].toUpperCase() === g);
  return byName ?? g;
}

/** 0 for I, 1 for S, 2 for E, 3 for R, 4 for anything else. */
export function gradeRank(grade: string): number {
  const i = kGrades.indexOf(normaliseGrade(grade) as (typeof kGrades)[number]);
  return i < 0 ? kGrades.length : i;
}

function timeOr(iso: string | null, fallback: number): number {
  if (!iso) return fallback;
  const ms = parseIso(iso);
  return Number.isFinite(ms) ? ms : fallback;
}

/**
 * The target, when it still runs: the incident is open and nobody has arrived.
 * The server says so with time_to_target_seconds (null once it stops running).
 */
export function pendingTargetAt(i: Incident): string | null {
  if (i.status === 'closed' || !i.target_at) return null;
  if (i.time_to_target_seconds === null) return null;
  if (i.time_to_target_seconds === undefined && (i.first_arrival_at || i.target_met != null)) return null;
  return i.target_at;
}

/** An emergency-button incident still open: an officer needs help now. */
export function isLiveEmergency(i: Incident): boolean {
  return i.status !== 'closed' && i.emergency === true;
}

export function compareIncidents(a: Incident, b: Incident): number {
  return (
    (a.status === 'closed' ? 1 : 0) - (b.status === 'closed' ? 1 : 0) ||
    (isLiveEmergency(b) ? 1 : 0) - (isLiveEmergency(a) ? 1 : 0) ||
    gradeRank(a.grade) - gradeRank(b.grade) ||
    timeOr(pendingTargetAt(a), Infinity) - timeOr(pendingTargetAt(b), Infinity) ||
    timeOr(a.created_at, Infinity) - timeOr(b.created_at, Infinity) ||
    (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0)
  );
}

/** A sorted copy of the queue; the input is left alone. */
export function sortQueue(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort(compareIncidents);
}

const kFlagLabels: Record<string, string> = {
  mental_health: 'Mental health',
  vulnerability: 'Vulnerable',
  weapons: 'Weapons',
  children: 'Children',
};

/** A badge's text: "Mental health" for "mental_health", "Self harm" for "self-harm". */
export function flagLabel(flag: string): string {
  const known = kFlagLabels[flag];
  if (known) return known;
  const words = flag.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Concern for welfare" for "concern_for_welfare": a code in sentence case. */
export function humanise(code: string): string {
  const words = (code ?? '').replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type TargetTone = 'pending' | 'overdue' | 'met' | 'missed' | 'none' | 'closed';

export interface IncidentTarget {
  tone: TargetTone;
  overdue: boolean;
  /** "in 12 min", "overdue 3 min", "target met", "target missed", "no target", "closed 14:05". */
  text: string;
}

/**
 * Where an incident stands against its deployment target at `nowMs` (server
 * time). Overdue when the server says so or the countdown has run out since.
 */
export function incidentTarget(i: Incident, nowMs: number): IncidentTarget {
  if (i.status === 'closed') {
    return { tone: 'closed', overdue: false, text: `closed ${formatTime(i.closed_at ?? null, nowMs)}`.replace(/ —$/, '') };
  }
  if (i.target_met === true) return { tone: 'met', overdue: false, text: 'target met' };
  if (i.target_met === false) return { tone: 'missed', overdue: false, text: 'target missed' };
  const pending = pendingTargetAt(i);
  if (!pending) return { tone: 'none', overdue: false, text: 'no target' };
  const left = parseIso(pending) - nowMs;
  if (!Number.isFinite(left)) return { tone: 'none', overdue: false, text: 'no target' };
  if (left < 0 || i.overdue) {
    return { tone: 'overdue', overdue: true, text: left < 0 ? `overdue ${formatDuration(-left)}` : 'overdue' };
  }
  return { tone: 'pending', overdue: false, text: `in ${formatDuration(left)}` };
}

/** The target as a phrase on its own: "Target in 12 min", "Target met", "No target", "Closed 14:05". */
export function targetPhrase(t: IncidentTarget): string {
  if (t.tone === 'pending' || t.tone === 'overdue') return `Target ${t.text}`;
  if (t.tone === 'met' || t.tone === 'missed') return `Target ${t.text.replace(/^target /, '')}`;
  return t.text.charAt(0).toUpperCase() + t.text.slice(1);
}
