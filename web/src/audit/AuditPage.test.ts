import { describe, expect, it } from 'vitest';
import { accessPath } from './AuditPage';

describe('the access log query', () => {
  it('leaves blank filters out and takes whole days', () => {
    expect(accessPath({ user: '', what: '', from: '', to: '' })).toBe('/api/audit/access?limit=500');
    expect(accessPath({ user: ' user-clinician ', what: 'incident/inc-4', from: '2026-11-27', to: '2026-11-28' })).toBe(
      '/api/audit/access?user=user-clinician&what=incident%2Finc-4&from=2026-11-27T00%3A00%3A00Z&to=2026-11-28T23%3A59%3A59Z&limit=500',
    );
  });
});
