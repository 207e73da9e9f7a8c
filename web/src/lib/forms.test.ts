import { describe, expect, it } from 'vitest';
import { buildBody, fieldForError, initialValues, londonLocalToIso, londonTimeToIso, visibleFields } from './forms';
import type { FieldSpec } from './forms';
import { decisionBodyFix, kDecisionFields, kEthnicities, kSexes, placeBodyFix, placeFields } from './mhForms';

const kWinterNoon = Date.parse('2026-11-27T12:00:00Z');
const kSummerNoon = Date.parse('2026-07-01T11:00:00Z'); // 12:00 BST

describe('London times typed as HH:MM', () => {
  it('reads them as GMT in winter and BST in summer', () => {
    expect(londonTimeToIso('09:30', kWinterNoon)).toBe('2026-11-27T09:30:00.000Z');
    expect(londonTimeToIso('09:30', kSummerNoon)).toBe('2026-07-01T08:30:00.000Z');
  });
  it('takes a time well after now as yesterday (typed after midnight)', () => {
    const justAfterMidnight = Date.parse('2026-11-27T00:10:00Z');
    expect(londonTimeToIso('23:50', justAfterMidnight)).toBe('2026-11-26T23:50:00.000Z');
    // An ETA shortly ahead stays today.
    expect(londonTimeToIso('12:40', kWinterNoon)).toBe('2026-11-27T12:40:00.000Z');
  });
  it('refuses what is not a time', () => {
    expect(londonTimeToIso('25:00', kWinterNoon)).toBeNull();
    expect(londonTimeToIso('noon', kWinterNoon)).toBeNull();
  });
  it('reads datetime-local values in London', () => {
    expect(londonLocalToIso('2026-07-01T12:00')).toBe('2026-07-01T11:00:00.000Z');
    expect(londonLocalToIso('2026-12-01T12:00')).toBe('2026-12-01T12:00:00.000Z');
  });
});

describe('request bodies from form values', () => {
  const fields: FieldSpec[] = [
    { name: 'kind', label: 'Kind', kind: 'select', options: [['a', 'A'], ['b', 'B']] },
    { name: 'grounds.one', label: 'One', kind: 'textarea' },
    { name: 'grounds.two', label: 'Two', kind: 'text' },
    { name: 'n', label: 'N', kind: 'number' },
    { name: 'only_b', label: 'Only for b', kind: 'text', when: (v) => v.kind === 'b' },
    { name: 'ok', label: 'OK', kind: 'checkbox' },
    { name: 'list', label: 'List', kind: 'checkboxes', always: true, options: [['x', 'X']] },
    { name: 'at', label: 'At', kind: 'time' },
  ];
  it('nests dotted names, drops empty text, sends numbers and booleans', () => {
    const v = { ...initialValues(fields), 'grounds.one': '  because  ', n: '7', only_b: 'hidden', at: '10:15' };
    expect(buildBody(fields, v, kWinterNoon)).toEqual({
      kind: 'a',
      grounds: { one: 'because' },
      n: 7,
      ok: false,
      list: [],
      at: '2026-11-27T10:15:00.000Z',
    });
  });
  it('sends a conditional field only while it is shown', () => {
    const v = { ...initialValues(fields), kind: 'b', only_b: 'yes' };
    expect(visibleFields(fields, v).map((f) => f.name)).toContain('only_b');
    expect(buildBody(fields, v, kWinterNoon).only_b).toBe('yes');
  });
  it('finds the field a server error names, or the first under it', () => {
    const v = initialValues(fields);
    expect(fieldForError(fields, v, 'grounds.two')).toBe('grounds.two');
    expect(fieldForError(fields, v, 'grounds')).toBe('grounds.one');
    expect(fieldForError(fields, v, 'list.0')).toBe('list');
    expect(fieldForError(fields, v, 'only_b')).toBeNull(); // not shown
    expect(fieldForError(fields, v, undefined)).toBeNull();
  });
});

describe('the decision to detain', () => {
  it('builds an s136 body with the three grounds and the consultation', () => {
    const v = {
      ...initialValues(kDecisionFields),
      'grounds.mental_disorder': 'responding to voices',
      'grounds.care_or_control': 'walking into traffic',
      'grounds.necessity': 'risk of serious injury',
      'consultation.name': 'Nurse Okafor',
      'consultation.advice': 'place of safety needed',
      'person.age': '34',
      'warrant.reference': 'not sent for s136',
    };
    expect(decisionBodyFix(buildBody(kDecisionFields, v, kWinterNoon))).toEqual({
      power: 's136',
      location_type: 'public_place',
      grounds: { mental_disorder: 'responding to voices', care_or_control: 'walking into traffic', necessity: 'risk of serious injury' },
      consultation: { name: 'Nurse Okafor', role: 'registered_nurse', advice: 'place of safety needed' },
      person: { age: 34 },
    });
  });
  it('sends the impracticable reason instead when nobody was consulted', () => {
    const v = { ...initialValues(kDecisionFields), consulted: false, impracticable_reason: 'violent; no time', 'person.appears_child': true };
    const body = decisionBodyFix(buildBody(kDecisionFields, v, kWinterNoon));
    expect(body.impracticable_reason).toBe('violent; no time');
    expect(body.consultation).toBeUndefined();
    expect(body.person).toEqual({ appears_child: true });
  });
  it('sends sex and ethnicity for the annual return (RULES A15) when chosen, and leaves them out when not', () => {
    // Exactly the values the server takes (kSex, kEthnicity in src/core/mh_detentions.cpp), blank for "not chosen".
    expect(kSexes.map(([v]) => v)).toEqual(['', 'female', 'male', 'other', 'not_stated']);
    expect(kEthnicities.map(([v]) => v)).toEqual(['', 'white', 'mixed', 'asian', 'black', 'other', 'not_stated']);
    expect(kSexes.find(([v]) => v === 'not_stated')?.[1]).toBe('Not stated');
    expect(kEthnicities.find(([v]) => v === 'not_stated')?.[1]).toBe('Not stated');
    const base = { ...initialValues(kDecisionFields), 'person.age': '34' };
    const chosen = decisionBodyFix(buildBody(kDecisionFields, { ...base, 'person.sex': 'female', 'person.ethnicity': 'black' }, kWinterNoon));
    expect(chosen.person).toEqual({ age: 34, sex: 'female', ethnicity: 'black' });
    const declined = decisionBodyFix(buildBody(kDecisionFields, { ...base, 'person.sex': 'not_stated', 'person.ethnicity': 'not_stated' }, kWinterNoon));
    expect(declined.person).toEqual({ age: 34, sex: 'not_stated', ethnicity: 'not_stated' });
    expect(decisionBodyFix(buildBody(kDecisionFields, base, kWinterNoon)).person).toEqual({ age: 34 });
  });
  it('builds an s135 body with the warrant and no grounds', () => {
    const v = { ...initialValues(kDecisionFields), power: 's135', 'warrant.reference': 'W/1', 'warrant.amhp': 'A', 'warrant.doctor': 'D', 'grounds.necessity': 'x' };
    const body = decisionBodyFix(buildBody(kDecisionFields, v, kWinterNoon));
    expect(body.warrant).toEqual({ reference: 'W/1', amhp: 'A', doctor: 'D' });
    expect(body.grounds).toBeUndefined();
  });
});

describe('the place of safety', () => {
  const fields = placeFields([{ id: 'pos-1', label: 'Maudsley' }], [{ id: 'RJ122', label: "King's" }]);
  it('sends the chosen site as site_id for each kind', () => {
    const base = initialValues(fields);
    expect(placeBodyFix(buildBody(fields, { ...base, site_id: 'pos-1' }, kWinterNoon))).toEqual({ kind: 'hbpos', site_id: 'pos-1' });
    expect(placeBodyFix(buildBody(fields, { ...base, kind: 'emergency_department', site_id_ed: 'RJ122' }, kWinterNoon))).toEqual({
      kind: 'emergency_department',
      site_id: 'RJ122',
    });
  });
  it('sends the police-station conditions nested, with the rank', () => {
    const v = { ...initialValues(fields), kind: 'police_station', site_id_station: 'Brixton', 'police_station.imminent_risk': 'armed' };
    const body = placeBodyFix(buildBody(fields, v, kWinterNoon));
    expect(body.site_id).toBe('Brixton');
    expect(body.police_station).toEqual({ imminent_risk: 'armed', decision_maker_rank: 'constable' });
  });
});

describe('RCRP triage', () => {
  it('sends signposting and the warm handover only below the threshold', async () => {
    const { kTriageFields, triageBodyFix } = await import('./mhForms');
    const base = initialValues(kTriageFields);
    const above = triageBodyFix(buildBody(kTriageFields, { ...base, rationale: 'knife seen', caller_told: true, signposted_to: 'gp' }, kWinterNoon));
    expect(above).toEqual({ call_type: 'concern_for_welfare', threshold: 'risk_to_life', rationale: 'knife seen', caller_told: true });
    const below = triageBodyFix(
      buildBody(kTriageFields, { ...base, threshold: 'none', rationale: 'no risk', signposted_to: 'nhs111_mh', 'warm_handover.made': true, 'warm_handover.to': '111 clinician' }, kWinterNoon),
    );
    expect(below).toMatchObject({ threshold: 'none', signposted_to: 'nhs111_mh', warm_handover: { made: true, to: '111 clinician' } });
  });
  it('sends the unit request object when the request comes from a unit, even without details', async () => {
    const { kTriageFields, triageBodyFix } = await import('./mhForms');
    const v = { ...initialValues(kTriageFields), unit_request: true, 'mh_unit_request.unit': 'Ward 3' };
    expect(triageBodyFix(buildBody(kTriageFields, v, kWinterNoon)).mh_unit_request).toEqual({ unit: 'Ward 3' });
    expect(triageBodyFix(buildBody(kTriageFields, { ...v, 'mh_unit_request.unit': '' }, kWinterNoon)).mh_unit_request).toEqual({});
    expect(triageBodyFix(buildBody(kTriageFields, initialValues(kTriageFields), kWinterNoon)).mh_unit_request).toBeUndefined();
  });
});
