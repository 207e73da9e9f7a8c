import { describe, expect, it } from 'vitest';
import { accountBody, accountProblems, agenciesFor, changeActor, changeText, passwordSetText } from './accounts';
import type { NewAccount } from './accounts';

const officer: NewAccount = { username: 'pc.ward', name: 'PC Ward', role: 'officer', agency_id: '', collar: 'AW-2002', password: 'long-enough-1' };

describe('the new-account form', () => {
  it('accepts a police account without an agency and sends none', () => {
    expect(accountProblems(officer)).toEqual({});
    expect(accountBody(officer)).toEqual({ username: 'pc.ward', name: 'PC Ward', role: 'officer', collar: 'AW-2002', password: 'long-enough-1' });
    expect(accountBody({ ...officer, agency_id: 'trust-slam' }).agency_id).toBeUndefined();
  });
  it('names each field the server would refuse', () => {
    const p = accountProblems({ username: 'PC Ward', name: 'n'.repeat(201), role: 'clinician', agency_id: '', collar: '', password: 'short' });
    expect(Object.keys(p).sort()).toEqual(['agency_id', 'name', 'password', 'username']);
    expect(p.agency_id).toBe("Choose the Clinician's agency");
    expect(accountProblems({ ...officer, role: '' }).role).toBe('Choose a role');
    // A name for every account; a collar number for an officer's (not for others').
    expect(accountProblems({ ...officer, name: '  ' }).name).toBe('Give the person’s name');
    expect(accountProblems({ ...officer, collar: ' ' }).collar).toBe('An officer’s account needs the collar number');
    expect(accountProblems({ ...officer, role: 'controller', collar: '' })).toEqual({});
  });
  it('offers a partner role only current agencies of its kind', () => {
    const all = [
      { id: 'trust-slam', kind: 'mental_health_trust', name: 'South London and Maudsley', status: 'active' },
      { id: 'trust-candi', kind: 'mental_health_trust', name: 'Camden and Islington', status: 'merged' },
      { id: 'las', kind: 'ambulance_service', name: 'London Ambulance Service', status: 'active' },
      { id: 'acute-kings', kind: 'acute_trust', name: "King's College Hospital", status: 'active' },
    ];
    expect(agenciesFor('clinician', all).map((a) => a.id)).toEqual(['acute-kings', 'trust-slam']);
    expect(agenciesFor('ambulance', all).map((a) => a.id)).toEqual(['las']);
    expect(agenciesFor('officer', all)).toEqual([]);
    expect(accountBody({ ...officer, role: 'ambulance', agency_id: 'las' }).agency_id).toBe('las');
  });
});

describe('the change record', () => {
  it('says what was done to whom, and by whom', () => {
    const c = { id: 1, at: '2026-11-28T10:00:00Z', actor_user: 'user-admin', actor_role: 'admin', action: 'disabled', username: 'officer' };
    expect(changeText(c)).toBe('Disabled officer');
    expect(changeActor(c)).toBe('user-admin (Administrator)');
    expect(changeActor({ ...c, actor_user: 'cli', actor_role: '' })).toBe('Command line (concordat users)');
    expect(changeText({ ...c, action: 'password_set' })).toBe('Set the password of officer');
    expect(changeText({ ...c, action: 'unlocked' })).toBe('Lifted the sign-in lock of officer');
  });
});

describe('setting a password', () => {
  it('says for whom, by name, and that their sessions have ended', () => {
    expect(passwordSetText({ name: 'Demo Controller', username: 'controller' })).toBe('Password set for Demo Controller; their sessions have ended.');
    expect(passwordSetText({ name: '', username: 'pc.ward' })).toBe('Password set for pc.ward; their sessions have ended.');
  });
});
