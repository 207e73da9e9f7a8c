import { describe, expect, it } from 'vitest';
import { buildBody } from './forms';
import type { FieldSpec } from './forms';
import { asImportReport, caseDemandText, coverageItems, importFileProblem, importSummary, kMaxImportBytes, flagExpiryText, flagReviewAction, flagStep, learningOverdue, learningUpdateBody, londonDatePlus, londonDayToIso, mayRaiseFlag, meetingErrorField, meetingFromForm, postStateText, postTitle, raiseFlagBody, reviewDueText, saraPlanProblem, sortTrainingDue, subjectLabel, trainingDueText } from './team';

describe('training coverage per BCU', () => {
  it('is trained officers against the BCU target, as a percentage with the counts', () => {
    const items = coverageItems({
      force: { trained: 14, lapsed: 1, target: 10000, percent_of_target: 0.1 },
      bcus: [
        { code: 'AW', name: 'Central West', trained: 7, refresher_due: 0, lapsed: 1, target: 604, percent_of_target: 1.2 },
        { code: 'NA', name: 'North', trained: 0, refresher_due: 0, lapsed: 0, target: 0, percent_of_target: 0 },
      ],
    });
    expect(items[0]).toEqual({ label: 'AW Central West', value: (100 * 7) / 604, valueLabel: '7 of 604 (1.2%)' });
    expect(items[1].value).toBe(0); // no target: no bar, no division by zero
  });
});

describe('high-intensity-user flags', () => {
  it('are reviewed by health before any decision', () => {
    expect(flagStep('candidate')).toBe('review');
    expect(flagStep('reviewed')).toBe('decide');
    expect(flagStep('case')).toBeNull();
    expect(flagStep('no_action')).toBeNull();
  });
  it('take a new review once reviewed or made a case, as the server accepts one on any open flag', () => {
    expect(flagReviewAction('candidate')?.label).toBe('Record the health-led review');
    expect(flagReviewAction('reviewed')?.label).toBe('Record a new review');
    expect(flagReviewAction('case')?.label).toBe('Record a new review');
    expect(flagReviewAction('no_action')).toBeNull();
    expect(flagReviewAction('expired')).toBeNull();
  });
  it('say when their review date has come, as the server reports it', () => {
    expect(reviewDueText({ review_due: true, review_date: '2026-12-29' })).toBe('Review due since Tue 29 Dec 2026');
    expect(reviewDueText({ review_due: false, review_date: '2026-12-29' })).toBeNull();
    expect(reviewDueText({ review_due: true, review_date: null })).toBeNull();
  });
  it('are about a person, by name or else id, or an address', () => {
    expect(subjectLabel({ type: 'person', person_id: 'person-1', name: 'A Person' })).toBe('A Person');
    expect(subjectLabel({ type: 'person', person_id: 'person-1' })).toBe('person-1');
    expect(subjectLabel({ type: 'address', address_key: '1 HIGH ST' })).toBe('1 HIGH ST');
  });
  it('dates reviews in London days', () => {
    expect(londonDatePlus(Date.parse('2026-11-27T23:30:00Z'), 30)).toBe('2026-12-27');
    expect(londonDatePlus(Date.parse('2026-06-30T23:30:00Z'), 1)).toBe('2026-07-02'); // BST: already 1 July
  });
});

describe('raising a flag on a repeat-demand subject', () => {
  it('is for the roles the server lets raise one (hiu.manage), and only while the subject has no open flag', () => {
    expect(mayRaiseFlag('mh_team', { person_id: 'person-4', flag_id: null })).toBe(true);
    expect(mayRaiseFlag('admin', { address_key: '1 HIGH ST', flag_id: null })).toBe(true);
    for (const role of ['supervisor', 'analyst', 'controller', 'auditor', 'clinician']) {
      expect(mayRaiseFlag(role, { person_id: 'person-4', flag_id: null })).toBe(false);
    }
    expect(mayRaiseFlag('mh_team', { person_id: 'person-1', flag_id: 'flag-1' })).toBe(false);
  });
  it('sends the subject — a person by id, an address by its key — with the team’s reason', () => {
    expect(raiseFlagBody({ person_id: 'person-4', flag_id: null }, { reason: 'Five calls' })).toEqual({
      reason: 'Five calls',
      subject_type: 'person',
      subject_id: 'person-4',
    });
    expect(raiseFlagBody({ address_key: '12 COLDHARBOUR LANE SW9 8PR', flag_id: null }, {})).toEqual({
      subject_type: 'address',
      subject_id: '12 COLDHARBOUR LANE SW9 8PR',
    });
  });
});

describe('what reloads the team screen', () => {
  it('is the team’s own streams, alerts and incident events that change repeat demand — not units or assignments', async () => {
    const { teamRelevant } = await import('./team');
    expect(teamRelevant({ stream: 'hiu/flag-1', event_type: 'hiu.flag_reviewed' })).toBe(true);
    expect(teamRelevant({ stream: 'alert/alert-3', event_type: 'alert.raised' })).toBe(true);
    expect(teamRelevant({ stream: 'training', event_type: 'training.completed' })).toBe(true);
    expect(teamRelevant({ stream: 'incident/inc-4', event_type: 'incident.person_linked' })).toBe(true);
    expect(teamRelevant({ stream: 'agreement/isa-2', event_type: 'agreement.revoked' })).toBe(true);
    expect(teamRelevant({ stream: 'register/reg-1', event_type: 'register.entry_created' })).toBe(true);
    expect(teamRelevant({ stream: 'incident/inc-4', event_type: 'assignment.created' })).toBe(false);
    expect(teamRelevant({ stream: 'unit/unit-AW11', event_type: 'unit.location_updated' })).toBe(false);
  });
});

describe('refreshers due or overdue', () => {
  const t = (collar: string, status: string, days_to_due: number) => ({ collar, name: collar, bcu: 'AW', course_id: 'c', course: 'C', completed_on: '', due_on: '', status, days_to_due });
  it('list the overdue first, longest overdue at the top, then the due soonest first', () => {
    const sorted = sortTrainingDue([t('due-12', 'due', 12), t('late-3', 'overdue', -3), t('due-0', 'due', 0), t('late-174', 'overdue', -174)]);
    expect(sorted.map((x) => x.collar)).toEqual(['late-174', 'late-3', 'due-0', 'due-12']);
  });
  it('say how many days', () => {
    expect(trainingDueText({ days_to_due: -174 })).toBe('Overdue by 174 days');
    expect(trainingDueText({ days_to_due: -1 })).toBe('Overdue by 1 day');
    expect(trainingDueText({ days_to_due: 0 })).toBe('Due today');
    expect(trainingDueText({ days_to_due: 1 })).toBe('Due in 1 day');
    expect(trainingDueText({ days_to_due: 30 })).toBe('Due in 30 days');
  });
});

describe('a case\'s demand before and after', () => {
  it('says there is nothing to compare yet on the day it opens', () => {
    const fresh = { window_days: 0.01, before: { contacts: 0, officer_hours: 0 }, after: { contacts: 0, officer_hours: 0 } };
    expect(caseDemandText(fresh)).toMatch(/^Opened less than a day ago/);
    expect(caseDemandText(fresh)).not.toMatch(/0 → 0/);
    expect(caseDemandText({ ...fresh, before: { contacts: 1, officer_hours: 0 } })).toMatch(/\(1 contact in the day before it opened\)/);
  });
  it('compares equal windows once it has run', () => {
    const run = { window_days: 10.4, before: { contacts: 2, officer_hours: 3.5 }, after: { contacts: 1, officer_hours: 1 } };
    expect(caseDemandText(run)).toBe('Demand in the 10 days before it opened vs since: 2 → 1 contacts, 3.5 → 1 officer-hours');
  });
});

describe('a flag\'s expiry', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it('reads as the end of the day the reviewer chose (London midnight after it)', () => {
    expect(flagExpiryText('2027-05-30T23:00:00Z', now)).toBe('expires at the end of Sun 30 May 2027'); // BST
    expect(flagExpiryText('2027-01-11T00:00:00Z', now)).toBe('expires at the end of Sun 10 Jan 2027'); // GMT
  });
  it('gives any other time as it is (an unreviewed candidate lapsing)', () => {
    expect(flagExpiryText('2026-12-05T14:30:00Z', now)).toMatch(/^expires .*14:30/);
  });
});

describe('a case\'s SARA plan form', () => {
  const fields: FieldSpec[] = ['scanning', 'analysis', 'response', 'assessment'].map((k) => ({ name: `sara.${k}`, label: k, kind: 'textarea', always: true }));
  const body = (v: Record<string, string>) => buildBody(fields, Object.fromEntries(Object.entries(v).map(([k, x]) => [`sara.${k}`, x])), 0);
  const saved = { scanning: 'Five calls', analysis: 'Evenings', response: '', assessment: '' };
  it('sends a cleared section as empty, which the server honours, rather than leaving it out', () => {
    expect(body({ scanning: 'Five calls', analysis: '  ', response: '', assessment: '' })).toEqual({ sara: { scanning: 'Five calls', analysis: '', response: '', assessment: '' } });
    expect(saraPlanProblem(saved, body({ scanning: 'Five calls', analysis: '', response: '', assessment: '' }))).toBeNull();
  });
  it('is not sent with every section empty', () => {
    expect(saraPlanProblem(undefined, body({ scanning: '', analysis: ' ', response: '', assessment: '' }))).toMatch(/^every section is empty/);
    expect(saraPlanProblem(saved, body({ scanning: '', analysis: '', response: '', assessment: '' }))).toMatch(/^every section is empty/);
  });
  it('is not sent when nothing has changed', () => {
    expect(saraPlanProblem(saved, body({ scanning: 'Five calls ', analysis: 'Evenings', response: '', assessment: '' }))).toMatch(/^nothing has changed/);
    expect(saraPlanProblem(saved, body({ scanning: 'Five calls', analysis: 'Evenings', response: 'Calls at 6 pm', assessment: '' }))).toBeNull();
  });
});

describe('a learning recommendation', () => {
  const now = Date.parse('2027-04-01T00:30:00+01:00'); // 1 April in London, still 31 March in UTC
  it('is overdue once its due date has passed in London, unless implemented or closed', () => {
    expect(learningOverdue({ due_on: '2027-03-31', status: 'in_progress' }, now)).toBe(true);
    expect(learningOverdue({ due_on: '2027-03-31', status: 'open' }, now)).toBe(true);
    expect(learningOverdue({ due_on: '2027-04-01', status: 'open' }, now)).toBe(false); // due today
    expect(learningOverdue({ due_on: '2027-03-31', status: 'implemented' }, now)).toBe(false);
    expect(learningOverdue({ due_on: '2027-03-31', status: 'closed' }, now)).toBe(false);
  });
  it('has actions overdue the same way, unless done', () => {
    expect(learningOverdue({ due_on: '2027-03-31', status: 'in_progress' }, now)).toBe(true);
    expect(learningOverdue({ due_on: '2027-03-31', status: 'done' }, now)).toBe(false);
  });
});

describe('recording a liaison meeting', () => {
  const form = (extra: Record<string, unknown> = {}) => ({ bcu: 'CS', agency_id: 'slam', date: '2026-11-27', ...extra });

  it('reads a day as the start of that day in London, and refuses what is not a date', () => {
    expect(londonDayToIso('2026-11-27')).toBe('2026-11-27T00:00:00.000Z');
    expect(londonDayToIso('2026-07-01')).toBe('2026-06-30T23:00:00.000Z'); // BST
    expect(londonDayToIso('2026-02-30')).toBeNull();
    expect(londonDayToIso('27/11/2026')).toBeNull();
  });

  it('sends the attendees one a line, blank lines dropped, and leaves out empty minutes', () => {
    const { body, problems } = meetingFromForm(form({ attendees: 'DS Khan\n\n  Dr Osei  \n', minutes: '  ' }));
    expect(problems).toEqual([]);
    expect(body).toEqual({ bcu: 'CS', agency_id: 'slam', date: '2026-11-27T00:00:00.000Z', attendees: ['DS Khan', 'Dr Osei'], actions: [] });
    expect(meetingFromForm(form({ minutes: 'Agreed a joint plan' })).body.minutes).toBe('Agreed a joint plan');
  });

  it('sends the action rows filled in, as a list, and says which form row each came from', () => {
    // As lib/forms builds the body from the fields "actions.1.text" and so on; row 1 is left blank.
    const fields: FieldSpec[] = [1, 2, 3].flatMap((row) => [
      { name: `actions.${row}.text`, label: `Action ${row}`, kind: 'text' as const },
      { name: `actions.${row}.owner`, label: `Owner ${row}`, kind: 'text' as const },
      { name: `actions.${row}.due`, label: `Due ${row}`, kind: 'text' as const, initial: '2026-12-25' },
    ]);
    const built = buildBody(fields, { 'actions.1.due': '2026-12-25', 'actions.2.text': 'Share figures', 'actions.2.owner': 'Insp Ward', 'actions.2.due': '2026-12-01', 'actions.3.text': '', 'actions.3.owner': '', 'actions.3.due': '2026-12-25' }, 0);
    const { body, rows, problems } = meetingFromForm({ ...form(), ...built });
    expect(problems).toEqual([]);
    expect(body.actions).toEqual([{ text: 'Share figures', owner: 'Insp Ward', due: '2026-12-01T00:00:00.000Z' }]);
    expect(rows).toEqual([2]);
  });

  it('says what it cannot read, by the names the form uses', () => {
    const { problems } = meetingFromForm(form({ date: 'yesterday', actions: { '1': { text: 'Share figures', owner: 'Insp Ward', due: '1/12' } } }));
    expect(problems).toEqual(['Date of the meeting: “yesterday” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27', 'Action 1 due date: “1/12” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27']);
  });

  it('puts the server’s refusal of an action at the form row it came from', () => {
    expect(meetingErrorField('actions[0].due', [2, 3])).toEqual({ field: 'actions.2.due', prefix: 'Action 2: ' });
    expect(meetingErrorField('actions[1].owner', [2, 3])).toEqual({ field: 'actions.3.owner', prefix: 'Action 3: ' });
    expect(meetingErrorField('date', [1])).toEqual({ field: 'date', prefix: '' });
    expect(meetingErrorField(undefined, [])).toEqual({ field: undefined, prefix: '' });
  });
});

describe('team posts', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0);
  it('names each kind of post, a constable by borough', () => {
    expect(postTitle({ kind: 'liaison', borough: null })).toBe('Mental Health Liaison Officer');
    expect(postTitle({ kind: 'sergeant', borough: null })).toBe('Team sergeant');
    expect(postTitle({ kind: 'constable', borough: { name: 'Camden' } })).toBe('Constable, Camden');
  });
  it('says who holds a post since which London day, their function and any notified departure', () => {
    const holder = { collar: 'AW-12', name: 'Ann Lee', rank: 'PC', function: 'prevention', since: '2025-03-02T23:30:00Z' };
    // 23:30 UTC on 2 March is still 2 March in London (GMT); in summer it would be the next day.
    expect(postStateText({ holder, vacant_days: null, vacates_at: null }, now)).toBe('PC Ann Lee (AW-12), prevention, in post since Sun 2 Mar 2025');
    const summer = { ...holder, since: '2025-07-01T23:30:00Z', function: '' };
    expect(postStateText({ holder: summer, vacant_days: null, vacates_at: null }, now)).toBe('PC Ann Lee (AW-12), in post since Wed 2 Jul 2025');
    expect(postStateText({ holder, vacant_days: null, vacates_at: '2026-12-04T09:00:00Z' }, now)).toMatch(/; leaves Fri 4 Dec 09:00$/);
  });
  it('says how long a post has been empty', () => {
    expect(postStateText({ holder: null, vacant_days: 400, vacates_at: null }, now)).toBe('Vacant for 400 days');
    expect(postStateText({ holder: null, vacant_days: 1, vacates_at: null }, now)).toBe('Vacant for 1 day');
    expect(postStateText({ holder: null, vacant_days: 0, vacates_at: null }, now)).toBe('Vacant since today');
    expect(postStateText({ holder: null, vacant_days: null, vacates_at: null }, now)).toBe('Vacant');
  });
});

describe('a learning recommendation updated', () => {
  it('sends the status only when it changes, the evidence as typed, and the chosen action by number', () => {
    const rec = { status: 'open' };
    expect(learningUpdateBody(rec, { status: 'open', evidence: '' })).toEqual({});
    expect(learningUpdateBody(rec, { status: 'in_progress', evidence: 'Minutes of 3 Nov' })).toEqual({ status: 'in_progress', evidence: 'Minutes of 3 Nov' });
    expect(learningUpdateBody(rec, { status: 'open', action: { index: '1', status: 'done', evidence: 'Rota published' } })).toEqual({ action: { index: 1, status: 'done', evidence: 'Rota published' } });
    // No action chosen: its status and evidence are not sent on their own.
    expect(learningUpdateBody(rec, { status: 'open', action: { index: '', status: 'done' } })).toEqual({});
    expect(learningUpdateBody(rec, { action: { index: '0' } })).toEqual({ action: { index: 0 } });
  });
});

describe('a training import reported', () => {
  const report = { mode: 'valid_rows', rows: 43, imported: 40, rejected: [{ line: 7, reason: 'no course x' }], skipped: [{ line: 9, reason: 'already recorded' }, { line: 12, reason: 'duplicate of line 3' }] };
  it('says what was imported, skipped and rejected', () => {
    expect(importSummary(report, false)).toBe('Imported 40 of 43 rows; 2 rows skipped (already recorded or repeated); 1 row rejected.');
    expect(importSummary({ ...report, imported: 3, rows: 3, rejected: [], skipped: [] }, false)).toBe('Imported 3 of 3 rows.');
  });
  it('says nothing was imported when the file was refused whole', () => {
    expect(importSummary({ ...report, mode: 'all_or_nothing', imported: 0 }, true)).toBe(
      'Nothing imported: 1 row of 43 could not be read. Mend them, or import only the rows that can be read (2 rows would be skipped).',
    );
  });
  it('takes a refusal’s details as a report only when they are one', () => {
    expect(asImportReport(report as unknown as Record<string, unknown>)).toEqual(report);
    expect(asImportReport({ problems: [] })).toBeNull();
    expect(asImportReport(undefined)).toBeNull();
  });
});

describe('a training file chosen for import', () => {
  it('must be chosen, and fit in one request to the server (1 MiB, the CSV inside JSON)', () => {
    expect(importFileProblem(null)).toBe('Choose the CSV file to import.');
    expect(importFileProblem({ size: kMaxImportBytes })).toBeNull();
    expect(importFileProblem({ size: 2_400_000 })).toBe('The file is 2,400 KB; at most 950 KB is imported at once. Split it into parts and import each.');
    expect(kMaxImportBytes * 1.1).toBeLessThan(1024 * 1024);
  });
});
