// Whether the server can record anything. GET /api/health says "failing", with the problem, while
// the log cannot be written (the shared PostgreSQL database cannot be reached, the disk is full):
// the server still answers reads and the live stream stays open, so the freshness line alone would
// say "Live" while every change the user sends is refused. The shell asks every kHealthEveryMs
// and shows what health says on every screen.

import type { Health } from '../api/types';

export const kHealthEveryMs = 10_000;

/** The problem to show, or null when the server says it can record (or says nothing usable). */
export function writeProblem(health: Partial<Health> | null | undefined): string | null {
  if (!health || health.status !== 'failing') return null;
  const p = typeof health.problem === 'string' ? health.problem.trim() : '';
  return p || 'the server cannot record anything just now';
}

/** The banner's sentence: what is wrong, and what it means for the user's work. */
export function writeProblemText(problem: string): string {
  const p = problem.replace(/[.\s]+$/, '');
  return `Nothing can be recorded just now: ${p}. Changes you send will be refused until it is fixed, so keep a note of anything urgent by other means. What is on screen can still be read.`;
}
