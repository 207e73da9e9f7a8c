// Accounts as the administrator manages them (GET/POST /api/admin/users…, routes_accounts.cpp):
// what the form may send, checked here as the server checks it so that a mistake is named before
// anything is sent, and how a change reads in the record.

import type { Role } from '../api/types';
import { roleLabel } from '../lib/roles';

export interface Account {
  id: string;
  username: string;
  name: string;
  role: Role;
  agency: { id: string; name: string };
  collar: string;
  demo: boolean;
  disabled: boolean;
  /** While too many failed sign-ins lock the account: when the lock ends (ISO); else null. */
  sign_in_locked_until: string | null;
}

export interface AccountChange {
  id: number;
  at: string;
  actor_user: string;
  actor_role: string;
  action: string;
  username: string;
}

export interface AgencyOption {
  id: string;
  kind: string;
  name: string;
  status: string;
}

export interface NewAccount {
  username: string;
  name: string;
  role: string;
  agency_id: string;
  collar: string;
  password: string;
}

export const kMinPassword = 10;

/** The kinds of agency whose staff hold a partner role (routes_accounts.cpp AgencyKindsFor). */
export function agencyKindsFor(role: string): string[] {
  switch (role) {
    case 'clinician':
      return ['mental_health_trust', 'acute_trust'];
    case 'amhp':
      return ['amhp_service'];
    case 'ambulance':
      return ['ambulance_service'];
    case 'hub111':
      return ['nhs111_hub'];
    default:
      return [];
  }
}

/** The agencies an account of `role` may belong to: current ones of the right kind, by name. */
export function agenciesFor(role: string, all: AgencyOption[]): AgencyOption[] {
  const kinds = agencyKindsFor(role);
  return all.filter((a) => kinds.includes(a.kind) && a.status !== 'merged').sort((a, b) => a.name.localeCompare(b.name));
}

/** What is wrong with the form, field by field (empty when it may be sent). */
export function accountProblems(a: NewAccount): Partial<Record<keyof NewAccount, string>> {
  const out: Partial<Record<keyof NewAccount, string>> = {};
  if (!/^[a-z0-9._-]{1,64}$/.test(a.username)) {
    out.username = 'Use 1–64 lower-case letters, digits, dots, dashes or underscores';
  }
  if (!a.role) out.role = 'Choose a role';
  if (agencyKindsFor(a.role).length > 0 && !a.agency_id) out.agency_id = `Choose the ${roleLabel(a.role)}'s agency`;
  if (a.password.length < kMinPassword) out.password = `At least ${kMinPassword} characters`;
  else if (a.password.length > 512) out.password = 'At most 512 characters';
  // Every change is attributed to a user: the name is what the log and the screens show for them.
  if (!a.name.trim()) out.name = 'Give the person’s name';
  else if (a.name.length > 200) out.name = 'At most 200 characters';
  // An officer's own unit is found by the collar number.
  if (a.role === 'officer' && !a.collar.trim()) out.collar = 'An officer’s account needs the collar number';
  else if (a.collar.length > 20) out.collar = 'At most 20 characters';
  return out;
}

/** The body the server takes: the agency only for a partner role (police roles are the force's). */
export function accountBody(a: NewAccount): Record<string, string> {
  const body: Record<string, string> = { username: a.username, role: a.role, password: a.password };
  if (a.name.trim()) body.name = a.name.trim();
  if (a.collar.trim()) body.collar = a.collar.trim();
  if (agencyKindsFor(a.role).length > 0) body.agency_id = a.agency_id;
  return body;
}

const kActions: Record<string, (username: string) => string> = {
  created: (u) => `Added ${u}`,
  disabled: (u) => `Disabled ${u}`,
  enabled: (u) => `Enabled ${u}`,
  password_set: (u) => `Set the password of ${u}`,
  unlocked: (u) => `Lifted the sign-in lock of ${u}`,
};

/** Said once a password is set: the server ends the account's sessions with it. */
export function passwordSetText(a: Pick<Account, 'name' | 'username'>): string {
  return `Password set for ${a.name.trim() || a.username}; their sessions have ended.`;
}

/** A recorded change as a line: "Disabled officer". */
export function changeText(c: AccountChange): string {
  return kActions[c.action]?.(c.username) ?? `${c.action} ${c.username}`;
}

/** Who made a change: a user id, or the command line / demo seed. */
export function changeActor(c: AccountChange): string {
  if (c.actor_user === 'cli') return 'Command line (concordat users)';
  if (c.actor_user === 'demo-seed') return 'Demo seed';
  return c.actor_role ? `${c.actor_user} (${roleLabel(c.actor_role)})` : c.actor_user;
}
