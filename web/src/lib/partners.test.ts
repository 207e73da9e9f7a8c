import { describe, expect, it } from 'vitest';
import { referralSteps, sameTrust, sortReferrals, withheldCategories } from './partners';

describe('referral steps', () => {
  it('follow sent → acknowledged → accepted or declined → completed', () => {
    expect(referralSteps('sent')).toEqual(['acknowledge', 'accept', 'decline']);
    expect(referralSteps('acknowledged')).toEqual(['accept', 'decline']);
    expect(referralSteps('accepted')).toEqual(['complete']);
    expect(referralSteps('declined')).toEqual([]);
    expect(referralSteps('completed')).toEqual([]);
  });
  it('puts open and overdue referrals first', () => {
    const r = (id: string, state: string, due: string, overdue = false) => ({ id, state, due_at: due, sent_at: due, overdue });
    const sorted = sortReferrals([r('done', 'completed', '2026-11-27T09:00:00Z'), r('later', 'sent', '2026-11-27T11:00:00Z'), r('soon', 'accepted', '2026-11-27T10:00:00Z'), r('late', 'sent', '2026-11-27T12:00:00Z', true)]);
    expect(sorted.map((x) => x.id)).toEqual(['late', 'soon', 'later', 'done']);
  });
});

describe('what the agreement withholds', () => {
  it('lists the categories not disclosed', () => {
    expect(withheldCategories(['incident_summary', 'location', 'mental_health_flags'])).toEqual(['person_identity', 'detention_record', 'health_information']);
    expect(withheldCategories(['incident_summary', 'location', 'mental_health_flags', 'person_identity', 'detention_record', 'health_information'])).toEqual([]);
  });
});

describe('the trust that runs a site (as the server decides)', () => {
  it('matches a trust however its name ends', () => {
    expect(sameTrust('South London and Maudsley NHS Foundation Trust', 'South London and Maudsley NHS FT')).toBe(true);
    expect(sameTrust('South London & Maudsley', 'South London and Maudsley NHS FT')).toBe(true);
  });
  it('does not match another trust sharing words', () => {
    expect(sameTrust('East London NHS Foundation Trust', 'North East London NHS FT')).toBe(false);
    expect(sameTrust('London Ambulance Service NHS Trust', 'South London and Maudsley NHS FT')).toBe(false);
    expect(sameTrust('', 'South London and Maudsley NHS FT')).toBe(false);
  });
});
