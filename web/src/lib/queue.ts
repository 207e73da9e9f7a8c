// The incident queue's order and labels. Grades, most urgent first:
// I (immediate), S (significant), E (extended), R (referred). Within a grade
// the incident closest to (or furthest past) its target comes first; an
// incident with no target follows those with one.

import type { Incident } from '../api/types';
import { parseIso } from './time';

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

export function compareIncidents(a: Incident, b: Incident): number {
  return (
    gradeRank(a.grade) - gradeRank(b.grade) ||
    timeOr(a.target_at, Infinity) - timeOr(b.target_at, Infinity) ||
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
