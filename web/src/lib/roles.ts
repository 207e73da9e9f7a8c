// What each role sees in the app's navigation, and which actions it may take.
// Each role lands on its home screen (the first of its navigation): partners on
// the partner portal, officers on their unit, the Mental Health Team on its
// screen, analysts on reports, the control room and oversight on the board.

import type { Role } from '../api/types';

export type ScreenId =
  | 'board'
  | 'new-incident'
  | 'officer'
  | 'incident'
  | 'mental-health'
  | 'detention'
  | 'partner'
  | 'referrals'
  | 'shared-incident'
  | 'team'
  | 'reports'
  | 'audit'
  | 'accounts'
  | 'reference';

export interface Screen {
  id: ScreenId;
  label: string;
  hash: string;
}

const kScreens: Record<ScreenId, Screen> = {
  board: { id: 'board', label: 'Control room board', hash: '#/board' },
  'new-incident': { id: 'new-incident', label: 'New incident', hash: '#/incidents/new' },
  officer: { id: 'officer', label: 'My unit', hash: '#/officer' },
  // Not in the navigation: opened from the board, the officer view or a link.
  incident: { id: 'incident', label: 'Incident', hash: '#/incidents/' },
  // Opened from an incident or the officer view: an incident's mental-health records, one detention.
  'mental-health': { id: 'mental-health', label: 'Mental-health records', hash: '#/incidents/' },
  detention: { id: 'detention', label: 'Detention', hash: '#/detentions/' },
  partner: { id: 'partner', label: 'Partner portal', hash: '#/partner' },
  // The control room's inbox of partners' referrals to the police.
  referrals: { id: 'referrals', label: 'Referrals to police', hash: '#/referrals' },
  team: { id: 'team', label: 'Mental Health Team', hash: '#/team' },
  reports: { id: 'reports', label: 'Reports', hash: '#/reports' },
  audit: { id: 'audit', label: 'Audit', hash: '#/audit' },
  accounts: { id: 'accounts', label: 'Accounts', hash: '#/accounts' },
  // Opened from the partner portal: an incident as the partner's agreement shows it.
  'shared-incident': { id: 'shared-incident', label: 'Shared incident', hash: '#/partner/incidents/' },
  reference: { id: 'reference', label: 'BCUs and boroughs', hash: '#/reference' },
};

/** Partner roles (src/api/roles.cpp kPartners). */
export const kPartnerRoles: ReadonlySet<string> = new Set<Role>(['clinician', 'amhp', 'ambulance', 'hub111']);

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

const kControlRoom: Role[] = ['call_handler', 'controller', 'supervisor'];
const kPolice: Role[] = ['call_handler', 'controller', 'supervisor', 'officer', 'mh_team', 'analyst', 'auditor', 'admin'];

/**
 * The server's permission table (src/api/roles.cpp), for the actions the app
 * offers. It only hides buttons that would be refused: the server decides.
 */
const kPermissions = {
  'alert.acknowledge': [...kControlRoom, 'admin'],
  'incident.create': [...kControlRoom, 'officer', 'admin'],
  'incident.read': kPolice,
  'incident.thrive': [...kControlRoom, 'admin'],
  'incident.log': [...kControlRoom, 'officer', 'mh_team', 'admin'],
  'incident.regrade': [...kControlRoom, 'admin'],
  'incident.close': ['controller', 'supervisor', 'admin'],
  'incident.reopen': ['controller', 'supervisor', 'admin'],
  'incident.recommend': [...kControlRoom, 'admin'],
  'assignment.create': ['controller', 'supervisor', 'officer', 'admin'],
  'assignment.update': ['controller', 'supervisor', 'officer', 'admin'],
  'assignment.stand_down': ['controller', 'supervisor', 'admin'],
  'unit.update': ['controller', 'supervisor', 'officer', 'admin'],
  'unit.emergency': ['controller', 'supervisor', 'officer', 'admin'],
  'mh.triage': [...kControlRoom, 'admin'],
  'detention.read': [...kControlRoom, 'officer', 'mh_team', 'auditor', 'admin'],
  'detention.record': ['officer', 'mh_team', 'supervisor', 'admin'],
  'decision.record': [...kControlRoom, 'officer', 'mh_team', 'admin'],
  'force.record': ['officer', 'mh_team', 'supervisor', 'admin'],
  'referral.create': [...kControlRoom, 'officer', 'mh_team', 'admin'],
  'referral.raise': ['clinician', 'amhp', 'ambulance', 'hub111'],
  'referral.respond': [...kControlRoom, 'admin', 'clinician', 'amhp', 'ambulance', 'hub111'],
  'team.read': kPolice,
  'team.manage': ['mh_team', 'admin'],
  'repeat_demand.read': ['mh_team', 'supervisor', 'analyst', 'admin'],
  'hiu.read': ['mh_team', 'analyst', 'admin'],
  'hiu.manage': ['mh_team', 'admin'],
  'training.read': kPolice,
  'training.manage': ['mh_team', 'admin'],
  'learning.read': kPolice,
  'learning.manage': ['mh_team', 'admin'],
  'register.read': kPolice,
  'agreement.manage': ['supervisor', 'admin'],
  'register.manage': ['mh_team', 'supervisor', 'admin'],
  'report.read': ['supervisor', 'mh_team', 'analyst', 'admin'],
  'audit.read': ['auditor'],
  'account.read': ['admin', 'auditor'],
  'account.manage': ['admin'],
  'people.read': kPolice,
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof kPermissions;

/** Every permission the web app asks about (for the test that holds it to the server's table). */
export const kPermissionNames = Object.keys(kPermissions) as Permission[];

export function can(role: string, permission: Permission): boolean {
  return (kPermissions[permission] as readonly string[]).includes(role);
}

/** Whether the role may acknowledge alerts; others see alerts read-only. */
export function canAcknowledgeAlerts(role: string): boolean {
  return can(role, 'alert.acknowledge');
}

/**
 * Whether the role may acknowledge this alert: an alert for supervisors (a team without its
 * liaison officer, below strength) is theirs alone, as the server enforces; so, of those who may
 * acknowledge, is one for the Mental Health Team (a high-intensity flag's review falling due),
 * which otherwise closes itself when the flag is reviewed again or ends.
 */
export function canAcknowledgeAlert(role: string, alert: { audience?: string | null }): boolean {
  if (!canAcknowledgeAlerts(role)) return false;
  const restricted = alert.audience === 'supervisor' || alert.audience === 'mh_team';
  return !restricted || role === 'supervisor' || role === 'admin';
}

/** Partners answer their own referrals in the portal; the referrals to the police are the control room's. */
export function canOpenPoliceReferrals(role: string): boolean {
  return can(role, 'referral.respond') && !kPartnerRoles.has(role);
}

/** Dispatching is the control room's: officers self-deploy instead. */
export function canDispatch(role: string): boolean {
  return can(role, 'assignment.create') && role !== 'officer';
}

/** Every role, in the order of src/api/roles.cpp AllRoles. */
export const kAllRoles: readonly Role[] = Object.keys(kRoleLabels) as Role[];

export function roleLabel(role: string): string {
  return kRoleLabels[role as Role] ?? role.replace(/_/g, ' ');
}

/** The screens a role may open from the navigation, in order; the first is where it lands. */
export function screensFor(role: string): Screen[] {
  const out: Screen[] = [];
  const add = (screen: Screen) => {
    if (!out.includes(screen)) out.push(screen);
  };
  // Each role's home first.
  if (kPartnerRoles.has(role)) add(kScreens.partner);
  if (role === 'officer') add(kScreens.officer);
  if (role === 'mh_team') add(kScreens.team);
  if (role === 'analyst') add(kScreens.reports);
  if (can(role, 'audit.read')) add(kScreens.audit);
  if (kBoardRoles.has(role)) add(kScreens.board);
  if (can(role, 'incident.create') && role !== 'officer') add(kScreens['new-incident']);
  if (canOpenPoliceReferrals(role)) add(kScreens.referrals);
  if (role === 'supervisor' || role === 'admin') add(kScreens.team);
  if (can(role, 'report.read')) add(kScreens.reports);
  if (can(role, 'account.read')) add(kScreens.accounts);
  out.push(kScreens.reference);
  return out;
}

export interface Route {
  screen: Screen;
  /** The incident on the incident screen (and its mental-health records). */
  incidentId?: string;
  /** The detention on the detention screen. */
  detentionId?: string;
  /** The referral to bring into view on the referrals screen. */
  referralId?: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed escape: use it as written
  }
}

/** The route for a location hash, if the role may see it; else the role's first screen. */
export function resolveRoute(role: string, hash: string): Route {
  const allowed = screensFor(role);
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  const m = /^\/incidents\/([^/]+)$/.exec(path);
  if (m && m[1] !== 'new' && can(role, 'incident.read')) {
    const id = decode(m[1]);
    return { screen: { ...kScreens.incident, hash: incidentHash(id) }, incidentId: id };
  }
  const mh = /^\/incidents\/([^/]+)\/mental-health$/.exec(path);
  if (mh && can(role, 'incident.read') && can(role, 'detention.read')) {
    const id = decode(mh[1]);
    return { screen: { ...kScreens['mental-health'], hash: `${incidentHash(id)}/mental-health` }, incidentId: id };
  }
  const shared = /^\/partner\/incidents\/([^/]+)$/.exec(path);
  if (shared && kPartnerRoles.has(role)) {
    const id = decode(shared[1]);
    return { screen: { ...kScreens['shared-incident'], hash: `#/partner/incidents/${encodeURIComponent(id)}` }, incidentId: id };
  }
  const ref = /^\/referrals\/([^/]+)$/.exec(path);
  if (ref && allowed.includes(kScreens.referrals)) {
    const id = decode(ref[1]);
    return { screen: { ...kScreens.referrals, hash: `#/referrals/${encodeURIComponent(id)}` }, referralId: id };
  }
  const det = /^\/detentions\/([^/]+)$/.exec(path);
  if (det && can(role, 'detention.read')) {
    const id = decode(det[1]);
    return { screen: { ...kScreens.detention, hash: `#/detentions/${encodeURIComponent(id)}` }, detentionId: id };
  }
  return { screen: allowed.find((s) => s.hash === `#${path}`) ?? allowed[0] };
}

/** The screen for a location hash, if the role may see it; else the role's first screen. */
export function resolveScreen(role: string, hash: string): Screen {
  return resolveRoute(role, hash).screen;
}

export function incidentHash(id: string): string {
  return `#/incidents/${encodeURIComponent(id)}`;
}
