import { describe, expect, it } from 'vitest';
import { agreementBody, agreementStanding, conditionLabel, registerBody, isToPolice, referralsWaitingText, policeReferralOfAlert, referralDeadline, referralHash, referralSteps, sameTrust, sortReferrals, typesTaken, withheldCategories } from './partners';

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

describe('referrals to the police', () => {
  const now = Date.parse('2026-11-28T19:10:00Z');
  const base = { state: 'sent', due_at: '2026-11-28T19:34:00Z', overdue: false, acknowledged_at: null, accepted_at: null, declined_at: null, completed_at: null };
  it('are the ones partners raised, addressed to the police', () => {
    expect(isToPolice({ direction: 'to_police', agency_id: 'mps' })).toBe(true);
    expect(isToPolice({ direction: 'to_partner', agency_id: 'trust-slam' })).toBe(false);
  });
  it('say how long is left to answer, urgent in the last ten minutes, then how late', () => {
    expect(referralDeadline(base, now)).toEqual({ tone: 'ok', text: 'Answer by 19:34 — 24 min left' });
    expect(referralDeadline(base, Date.parse('2026-11-28T19:27:00Z')).tone).toBe('warn');
    expect(referralDeadline(base, Date.parse('2026-11-28T19:41:00Z'))).toEqual({ tone: 'late', text: 'Overdue by 7 min: it was to be answered by 19:34' });
    expect(referralDeadline({ ...base, overdue: true }, Date.parse('2026-11-28T19:34:00Z')).tone).toBe('late');
  });
  it('once answered, say when and what is left to do', () => {
    expect(referralDeadline({ ...base, state: 'acknowledged', acknowledged_at: '2026-11-28T19:12:00Z' }, now)).toEqual({ tone: 'none', text: 'Acknowledged 19:12: accept or decline it' });
    expect(referralDeadline({ ...base, state: 'accepted', accepted_at: '2026-11-28T19:15:00Z' }, now).text).toBe('Accepted 19:15: complete it when done');
  });
  it('are linked from the overdue alert only when the referral is to the police', () => {
    expect(policeReferralOfAlert({ type: 'referral_overdue', data: { referral_id: 'ref-4', agency_id: 'mps' } })).toBe('ref-4');
    expect(policeReferralOfAlert({ type: 'referral_overdue', data: { referral_id: 'ref-1', agency_id: 'trust-slam' } })).toBeNull();
    expect(policeReferralOfAlert({ type: 'over_attendance', data: { referral_id: 'ref-4', agency_id: 'mps' } })).toBeNull();
    expect(referralHash('ref 4')).toBe('#/referrals/ref%204');
  });
});

describe('referrals waiting on the board', () => {
  it('counts the unanswered and says how many are overdue, and nothing when none', () => {
    expect(referralsWaitingText({ unanswered: 0, overdue: 0 })).toBe('');
    expect(referralsWaitingText({ unanswered: 1, overdue: 0 })).toBe('1 referral to the police waiting for an answer');
    expect(referralsWaitingText({ unanswered: 3, overdue: 2 })).toBe('3 referrals to the police waiting for an answer (2 overdue)');
  });
});

describe('typesTaken', () => {
  it('lists what the agency takes in the form\'s order, never police assistance', () => {
    expect(typesTaken({ referral_types: ['street_triage', 'safeguarding', 'crisis_team', 'police_assistance'] })).toEqual([
      'street_triage',
      'crisis_team',
      'safeguarding',
    ]);
  });
  it('is empty for no agency, or one that takes nothing', () => {
    expect(typesTaken(undefined)).toEqual([]);
    expect(typesTaken({ referral_types: [] })).toEqual([]);
    expect(typesTaken({})).toEqual([]);
  });
});

describe('agreements for the police', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const a = { start: '2026-01-01T00:00:00Z', end: '2027-03-31T23:00:00Z', revoked_at: null, active: true }; // to the end of 31 March (BST)
  it('says where an agreement stands', () => {
    expect(agreementStanding(a, now)).toEqual({ state: 'active', text: 'In force to the end of Wed 31 Mar 2027' });
    expect(agreementStanding({ ...a, revoked_at: '2026-11-29T10:15:00Z', active: false }, now).state).toBe('revoked');
    expect(agreementStanding({ ...a, start: '2027-01-01T00:00:00Z', active: false }, now).text).toMatch(/^Not yet in force: from /);
    expect(agreementStanding({ ...a, end: '2026-05-31T23:00:00Z', active: false }, now)).toEqual({ state: 'ended', text: 'Ended: its last day was Sun 31 May 2026' });
  });
  it('sends whole London days: from the first day’s start to the end of the last', () => {
    const body = agreementBody({ agency_id: 'trust-slam', start: '2026-12-01', end: '2027-07-31', review_date: '2027-06-01', purpose: 'p' });
    expect(body).toEqual({ agency_id: 'trust-slam', start: '2026-12-01T00:00:00.000Z', end: '2027-07-31T23:00:00.000Z', review_date: '2027-05-31T23:00:00.000Z', purpose: 'p' });
    // A day that is not one goes as typed, for the server to name.
    expect(agreementBody({ start: '2026-02-30', end: 'soon' })).toMatchObject({ start: '2026-02-30', end: 'soon' });
  });
  it('names a known lawful-basis code in words and leaves the rest as recorded', () => {
    expect(conditionLabel('sch1_para2_health_social_care')).toBe('Sch 1 para 2 (health or social care)');
    expect(conditionLabel('Sch 8 para 4, as agreed')).toBe('Sch 8 para 4, as agreed');
  });
  it('takes a register entry’s parties one per line', () => {
    expect(registerBody({ title: 'MoU', parties: 'MPS\n\n  SLaM \n', review_date: '2027-01-15' })).toEqual({ title: 'MoU', parties: ['MPS', 'SLaM'], review_date: '2027-01-15T00:00:00.000Z' });
  });
});
