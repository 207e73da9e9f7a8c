import { describe, expect, it } from 'vitest';
import { canAcknowledgeAlerts, resolveScreen, roleLabel, screensFor } from './roles';

describe('navigation by role', () => {
  it('gives the control room board to control room, officer and oversight roles', () => {
    for (const role of ['call_handler', 'controller', 'supervisor', 'officer', 'admin', 'auditor', 'analyst']) {
      expect(screensFor(role).map((s) => s.id)).toEqual(['board', 'reference']);
    }
  });
  it('keeps partners off the board', () => {
    for (const role of ['mh_team', 'clinician', 'amhp', 'ambulance', 'hub111']) {
      expect(screensFor(role).map((s) => s.id)).toEqual(['reference']);
    }
  });
  it('opens the screen in the hash only when the role may see it', () => {
    expect(resolveScreen('controller', '#/reference').id).toBe('reference');
    expect(resolveScreen('controller', '').id).toBe('board');
    expect(resolveScreen('clinician', '#/board').id).toBe('reference');
  });
  it('names roles for people', () => {
    expect(roleLabel('call_handler')).toBe('Call handler');
    expect(roleLabel('hub111')).toBe('NHS 111 hub');
  });
});

describe('alert acknowledgement', () => {
  it('is for the control room and admins only', () => {
    expect(['call_handler', 'controller', 'supervisor', 'admin'].every(canAcknowledgeAlerts)).toBe(true);
    expect(['officer', 'auditor', 'analyst', 'clinician'].some(canAcknowledgeAlerts)).toBe(false);
  });
});
