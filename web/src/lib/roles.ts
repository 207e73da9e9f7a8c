// What each role sees in the app's navigation. A screen appears here only
// once the server has the API behind it: the officer view, partner portal,
// Mental Health Team and reports screens join when their APIs land.

import type { Role } from '../api/types';

export type ScreenId = 'board' | 'reference';

export interface Screen {
  id: ScreenId;
  label: string;
  hash: string;
}

const kScreens: Record<ScreenId, Screen> = {
  board: { id: 'board', label: 'Control room board', hash: '#/board' },
  reference: { id: 'reference', label: 'BCUs and boroughs', hash: '#/reference' },
};

const kBoardRoles: ReadonlySet<string> = new Set<Role>([
  'call_handler',
  'controller',
  'supervisor',
  'officer',
  'admin',
  'auditor',
  'analyst',
]);

const kRoleLabels: Record<Role, string> = {
  call_handler: 'Call handler',
  controller: 'Controller',
  supervisor: 'Control room supervisor',
  officer: 'Response officer',
  mh_team: 'Mental Health Team',
  clinician: 'Clinician',
  amhp: 'AMHP',
  ambulance: 'Ambulance',
  hub111: 'NHS 111 hub',
  analyst: 'Analyst',
  auditor: 'Auditor',
  admin: 'Administrator',
};

// Mirrors the server's permission table (alert.acknowledge): the control room and admins.
const kAcknowledgeRoles: ReadonlySet<string> = new Set<Role>(['call_handler', 'controller', 'supervisor', 'admin']);

/** Whether the role may acknowledge alerts; others see alerts read-only. */
export function canAcknowledgeAlerts(role: string): boolean {
  return kAcknowledgeRoles.has(role);
}

export function roleLabel(role: string): string {
  return kRoleLabels[role as Role] ?? role.replace(/_/g, ' ');
}

/** The screens a role may open, in navigation order. */
export function screensFor(role: string): Screen[] {
  const out: Screen[] = [];
  if (kBoardRoles.has(role)) out.push(kScreens.board);
  out.push(kScreens.reference);
  return out;
}

/** The screen for a location hash, if the role may see it; else the role's first screen. */
export function resolveScreen(role: string, hash: string): Screen {
  const allowed = screensFor(role);
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  return allowed.find((s) => s.hash === `#${path}`) ?? allowed[0];
}
