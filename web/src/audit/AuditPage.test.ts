import { describe, expect, it } from 'vitest';
import { accessPath } from './AuditPage';

describe('the access log query', () => {
  it('leaves blank filters out and takes whole London days', () => {
    expect(accessPath({ user: '', what: '', from: '', to: '' })).toBe('/api/audit/access?limit=500');
    // Winter: London is UTC.
    expect(accessPath({ user: ' clinician ', what: 'incident/inc-4', from: '2026-11-27', to: '2026-11-28' })).toBe(
      '/api/audit/access?user=clinician&what=incident%2Finc-4&from=2026-11-27T00%3A00%3A00.000Z&to=2026-11-28T23%3A59%3A59.999Z&limit=500',
    );
    // Summer: a London day starts at 23:00 UTC the day before.
    const summer = new URLSearchParams(accessPath({ user: '', what: '', from: '2026-07-01', to: '2026-07-01' }).split('?')[1]);
    expect(summer.get('from')).toBe('2026-06-30T23:00:00.000Z');
    expect(summer.get('to')).toBe('2026-07-01T22:59:59.999Z');
  });
});
