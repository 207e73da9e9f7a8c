import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { can, kAllRoles, kPermissionNames, canAcknowledgeAlert, canAcknowledgeAlerts, canDispatch, incidentHash, resolveRoute, resolveScreen, roleLabel, screensFor } from './roles';

describe('navigation by role', () => {
  it('gives the board and the create form to the control room and admins', () => {
    for (const role of ['call_handler', 'controller']) {
      expect(screensFor(role).map((s) => s.id)).toEqual(['board', 'new-incident', 'referrals', 'reference']);
    }
    expect(screensFor('supervisor').map((s) => s.id)).toEqual(['board', 'new-incident', 'referrals', 'team', 'reports', 'reference']);
    expect(screensFor('admin').map((s) => s.id)).toEqual(['board', 'new-incident', 'referrals', 'team', 'reports', 'accounts', 'reference']);
  });
  it('gives the referrals to the police to the roles that may answer them, one referral by its hash', () => {
    expect(resolveRoute('controller', '#/referrals/ref-4')).toMatchObject({ referralId: 'ref-4', screen: { id: 'referrals', hash: '#/referrals/ref-4' } });
    expect(resolveRoute('call_handler', '#/referrals').screen.id).toBe('referrals');
    // Officers, the Mental Health Team and analysts may not answer them; partners answer theirs in the portal.
    for (const role of ['officer', 'mh_team', 'analyst', 'auditor', 'clinician', 'amhp']) {
      expect(screensFor(role).map((s) => s.id)).not.toContain('referrals');
      expect(resolveRoute(role, '#/referrals/ref-4').referralId).toBeUndefined();
    }
    expect(can('amhp', 'referral.raise') && !can('controller', 'referral.raise')).toBe(true);
  });
  it('lands auditors on the access log, with the board; analysts on reports', () => {
    expect(screensFor('auditor').map((s) => s.id)).toEqual(['audit', 'board', 'accounts', 'reference']);
    expect(resolveScreen('admin', '#/accounts').id).toBe('accounts');
    expect(resolveScreen('supervisor', '#/accounts').id).toBe('board');  // not theirs
    expect(can('auditor', 'account.read') && !can('auditor', 'account.manage')).toBe(true);
    expect(resolveScreen('auditor', '#/audit').id).toBe('audit');
    expect(resolveScreen('controller', '#/audit').id).toBe('board');  // not theirs
    expect(screensFor('analyst').map((s) => s.id)).toEqual(['reports', 'board', 'reference']);
  });
  it('lands officers on their unit', () => {
    expect(screensFor('officer').map((s) => s.id)).toEqual(['officer', 'board', 'reference']);
    expect(resolveScreen('officer', '').id).toBe('officer');
    expect(resolveScreen('controller', '#/officer').id).toBe('board');
  });
  it('opens an incident from its hash for roles that may read incidents', () => {
    expect(resolveRoute('controller', '#/incidents/inc-7')).toMatchObject({ incidentId: 'inc-7', screen: { id: 'incident' } });
    expect(resolveRoute('officer', incidentHash('inc 8')).incidentId).toBe('inc 8');
    expect(resolveRoute('controller', '#/incidents/new').screen.id).toBe('new-incident');
    expect(resolveRoute('clinician', '#/incidents/inc-7').screen.id).toBe('partner');
  });
  it('keeps partners off the board and lands them on the partner portal', () => {
    for (const role of ['clinician', 'amhp', 'ambulance', 'hub111']) {
      expect(screensFor(role).map((s) => s.id)).toEqual(['partner', 'reference']);
      expect(resolveRoute(role, '#/partner/incidents/inc-2')).toMatchObject({ incidentId: 'inc-2', screen: { id: 'shared-incident' } });
    }
    expect(resolveRoute('controller', '#/partner/incidents/inc-2').screen.id).toBe('board');
    expect(screensFor('mh_team').map((s) => s.id)).toEqual(['team', 'reports', 'reference']);
  });
  it('opens the screen in the hash only when the role may see it', () => {
    expect(resolveScreen('controller', '#/reference').id).toBe('reference');
    expect(resolveScreen('controller', '').id).toBe('board');
    expect(resolveScreen('clinician', '#/board').id).toBe('partner');
  });
  it('names roles for people', () => {
    expect(roleLabel('call_handler')).toBe('Call handler');
    expect(roleLabel('hub111')).toBe('NHS 111 hub');
  });
});

describe('actions by role (the server table, mirrored)', () => {
  it('lets the control room dispatch but not officers, who self-deploy', () => {
    expect(['controller', 'supervisor', 'admin'].every(canDispatch)).toBe(true);
    expect(['officer', 'call_handler', 'auditor'].some(canDispatch)).toBe(false);
    expect(can('officer', 'assignment.create')).toBe(true);
  });
  it('keeps stand-down, close and THRIVE with the right roles', () => {
    expect(can('call_handler', 'assignment.stand_down')).toBe(false);
    expect(can('controller', 'assignment.stand_down')).toBe(true);
    expect(can('call_handler', 'incident.close')).toBe(false);
    expect(can('call_handler', 'incident.thrive')).toBe(true);
    expect(can('officer', 'incident.thrive')).toBe(false);
    expect(can('mh_team', 'incident.log')).toBe(true);
  });
});

describe('alert acknowledgement', () => {
  it('is for the control room and admins only', () => {
    expect(['call_handler', 'controller', 'supervisor', 'admin'].every(canAcknowledgeAlerts)).toBe(true);
    expect(['officer', 'auditor', 'analyst', 'clinician'].some(canAcknowledgeAlerts)).toBe(false);
  });

  it('leaves an alert for supervisors to supervisors (and admins)', () => {
    const forSupervisors = { audience: 'supervisor' };
    expect(canAcknowledgeAlert('supervisor', forSupervisors)).toBe(true);
    expect(canAcknowledgeAlert('admin', forSupervisors)).toBe(true);
    expect(canAcknowledgeAlert('call_handler', forSupervisors)).toBe(false);
    expect(canAcknowledgeAlert('controller', forSupervisors)).toBe(false);
    expect(canAcknowledgeAlert('controller', { audience: 'control' })).toBe(true);
    const forTheTeam = { audience: 'mh_team' };
    expect(canAcknowledgeAlert('controller', forTheTeam)).toBe(false);
    expect(canAcknowledgeAlert('call_handler', forTheTeam)).toBe(false);
    expect(canAcknowledgeAlert('supervisor', forTheTeam)).toBe(true);
    expect(canAcknowledgeAlert('mh_team', forTheTeam)).toBe(false); // no alert.acknowledge: it closes on review
    expect(canAcknowledgeAlert('auditor', { audience: 'control' })).toBe(false);
  });
});

describe('mental-health records and detentions', () => {
  it('opens an incident’s mental-health records and a detention for roles that may read detentions', () => {
    expect(resolveRoute('officer', '#/incidents/inc-1/mental-health')).toMatchObject({ incidentId: 'inc-1', screen: { id: 'mental-health' } });
    expect(resolveRoute('controller', '#/detentions/det-3')).toMatchObject({ detentionId: 'det-3', screen: { id: 'detention' } });
    expect(resolveRoute('officer', '#/detentions/det%203').detentionId).toBe('det 3');
  });
  it('keeps them from roles the server refuses', () => {
    expect(resolveRoute('analyst', '#/detentions/det-3').screen.id).not.toBe('detention');
    expect(resolveRoute('clinician', '#/incidents/inc-1/mental-health').screen.id).not.toBe('mental-health');
  });
  it('lets officers record detentions and force, and the control room only read them', () => {
    expect(can('officer', 'detention.record')).toBe(true);
    expect(can('officer', 'force.record')).toBe(true);
    expect(can('controller', 'detention.record')).toBe(false);
    expect(can('controller', 'detention.read')).toBe(true);
    expect(can('controller', 'decision.record')).toBe(true);
  });
});

describe('every role', () => {
  it('is listed once, the twelve of the API', () => {
    expect(kAllRoles).toEqual(['call_handler', 'controller', 'supervisor', 'officer', 'mh_team', 'clinician', 'amhp', 'ambulance', 'hub111', 'analyst', 'auditor', 'admin']);
  });
});

// The web app mirrors the server's permission table (src/api/roles.cpp, THE table) to decide what
// to offer; a permission granted on one side and not the other is a button that always fails or a
// screen that never shows. Read from the C++ source so that the two cannot drift apart unseen.
describe('the permission table', () => {
  const src = readFileSync(new URL('../../../src/api/roles.cpp', import.meta.url), 'utf8');
  const groups = new Map<string, string[]>();
  for (const m of src.matchAll(/const std::vector<std::string> (k\w+) = \{([^}]*)\};/g)) {
    groups.set(m[1], [...m[2].matchAll(/"(\w+)"/g)].map((x) => x[1]));
  }
  groups.set('kEveryone', groups.get('kRoles') ?? []);
  const table = src.slice(src.indexOf('static const std::map'), src.indexOf('return t;'));
  const server = new Map<string, string[]>();
  for (const m of table.matchAll(/\{"([\w.]+)",\s*(Join\(\{[^)]*\}\)|\{[^{}]*\}|k\w+)\}/g)) {
    const roles = new Set<string>();
    for (const g of m[2].match(/k\w+/g) ?? []) for (const r of groups.get(g) ?? [`unknown group ${g}`]) roles.add(r);
    for (const r of m[2].matchAll(/"(\w+)"/g)) roles.add(r[1]);
    server.set(m[1], [...roles].sort());
  }
  it('is read whole from the server source', () => {
    expect(groups.get('kRoles')?.length).toBe(12);
    expect(server.size).toBeGreaterThan(50);
    expect(server.get('referral.respond')).toEqual(['admin', 'ambulance', 'amhp', 'call_handler', 'clinician', 'controller', 'hub111', 'supervisor']);
  });
  it('gives each permission the web app asks about to exactly the roles the server allows', () => {
    // Where the web app offers less on purpose (never more): partners may read the incidents
    // shared with them, which they do in the partner portal, not on the police incident page.
    const narrower: Record<string, string> = { 'incident.read': 'partners read shared incidents in the partner portal' };
    const diffs: string[] = [];
    for (const p of kPermissionNames) {
      const web: string[] = kAllRoles.filter((r) => can(r, p)).sort();
      const srv = server.get(p);
      if (!srv) {
        diffs.push(`${p}: not in the server's table`);
        continue;
      }
      const webOnly = web.filter((r) => !srv.includes(r));
      const serverOnly = srv.filter((r) => !web.includes(r));
      if (webOnly.length > 0 || (serverOnly.length > 0 && !narrower[p])) diffs.push(`${p}: web only [${webOnly}]; server only [${serverOnly}]`);
    }
    expect(diffs).toEqual([]);
  });
});
