import { describe, expect, it } from 'vitest';
import { accessPath } from './AuditPage';
import { verifyText } from './LogCheck';

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

describe('the log check in words', () => {
  const base = { head_hash: null, first_bad_seq: null, problem: null, checked_at: '2026-11-29T17:00:00Z', seconds: 0.2 };
  it('says the log is whole with its count, or empty', () => {
    expect(verifyText({ ...base, ok: true, count: 12345, head_hash: 'ab' })).toBe('Whole: all 12,345 events check out, each linked to the one before.');
    expect(verifyText({ ...base, ok: true, count: 0 })).toBe('The log is empty: there is nothing to check yet.');
  });
  it('names the first broken event, what is wrong, and how many before it are whole', () => {
    expect(verifyText({ ...base, ok: false, count: 6, first_bad_seq: 7, problem: 'the event was altered' })).toBe('Broken at event 7: the event was altered. The 6 events before it check out.');
    expect(verifyText({ ...base, ok: false, count: 1, first_bad_seq: 2, problem: 'x' })).toMatch(/The one event before it checks out\.$/);
    expect(verifyText({ ...base, ok: false, count: 0, first_bad_seq: 1, problem: 'x' })).toMatch(/No event before it checks out\.$/);
  });
});
