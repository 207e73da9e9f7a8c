import { describe, expect, it } from 'vitest';
import {
  buildBody,
  editValue,
  fieldForError,
  fieldsForError,
  fieldProblems,
  FormProblems,
  initialValues,
  londonLocalToIso,
  londonTimeToIso,
  movedDefaults,
  problemMessages,
  shownValues,
  visibleFields,
} from './forms';
import type { FieldSpec, Values } from './forms';
import {
  decisionBodyFix,
  handoverFields,
  kArrivalFields,
  kConveyanceFields,
  kDecisionFields,
  kEthnicities,
  kExtensionFields,
  kOutcomeFields,
  kSexes,
  kTriageFields,
  kUseOfForceFields,
  outcomeConfirmation,
  placeBodyFix,
  placeFields,
} from './mhForms';

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
  it('finds every field a server error names, its field first, each once', () => {
    const v = initialValues(fields);
    const details = {
      problems: [
        { field: 'grounds.two', message: 'grounds.two is required' },
        { field: 'n', message: 'n is required' },
        { field: 'only_b', message: 'not shown' },
        { field: 'grounds.two', message: 'again' },
        { message: 'no field' },
        null,
      ],
    };
    expect(fieldsForError(fields, v, 'grounds.two', details)).toEqual(['grounds.two', 'n']);
    expect(fieldsForError(fields, v, 'list.0', undefined)).toEqual(['list']);
    expect(fieldsForError(fields, v, undefined, { problems: 'not a list' })).toEqual([]);
  });
  it('lists the messages of a refusal that names several problems, and none for one', () => {
    const two = { problems: [{ field: 'location_type', message: 's136(1A): not in a dwelling' }, { field: 'consultation', message: 's136(1C): consult' }, { field: 'x' }, null] };
    expect(problemMessages(two)).toEqual(['s136(1A): not in a dwelling', 's136(1C): consult']);
    expect(problemMessages({ problems: [{ field: 'a', message: 'only one' }] })).toEqual([]);
    expect(problemMessages({ problems: [{ field: 'a', message: 'one' }, { field: 'b' }] })).toEqual([]);
    expect(problemMessages(undefined)).toEqual([]);
    expect(problemMessages({ advisory: true })).toEqual([]);
  });
});

describe('the decision to detain', () => {
  it('builds an s136 body with the three grounds and the consultation', () => {
    const v = {
      ...initialValues(kDecisionFields),
      power: 's136',
      location_type: 'public_place',
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
    const v = { ...initialValues(kDecisionFields), power: 's136', location_type: 'public_place', consulted: false, impracticable_reason: 'violent; no time', 'person.appears_child': true };
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
    const base = { ...initialValues(kDecisionFields), power: 's136', location_type: 'public_place', 'person.age': '34' };
    const chosen = decisionBodyFix(buildBody(kDecisionFields, { ...base, 'person.sex': 'female', 'person.ethnicity': 'black' }, kWinterNoon));
    expect(chosen.person).toEqual({ age: 34, sex: 'female', ethnicity: 'black' });
    const declined = decisionBodyFix(buildBody(kDecisionFields, { ...base, 'person.sex': 'not_stated', 'person.ethnicity': 'not_stated' }, kWinterNoon));
    expect(declined.person).toEqual({ age: 34, sex: 'not_stated', ethnicity: 'not_stated' });
    expect(decisionBodyFix(buildBody(kDecisionFields, base, kWinterNoon)).person).toEqual({ age: 34 });
  });
  it('builds an s135 body with the warrant and no grounds', () => {
    const v = { ...initialValues(kDecisionFields), power: 's135', location_type: 'private_dwelling', 'warrant.reference': 'W/1', 'warrant.amhp': 'A', 'warrant.doctor': 'D', 'grounds.necessity': 'x' };
    const body = decisionBodyFix(buildBody(kDecisionFields, v, kWinterNoon));
    expect(body.warrant).toEqual({ reference: 'W/1', amhp: 'A', doctor: 'D' });
    expect(body.grounds).toBeUndefined();
  });
});

describe('the place of safety', () => {
  const fields = placeFields([{ id: 'pos-1', label: 'Maudsley' }], [{ id: 'RJ122', label: "King's" }]);
  it('sends the chosen site as site_id for each kind', () => {
    const base = initialValues(fields);
    expect(placeBodyFix(buildBody(fields, { ...base, kind: 'hbpos', site_id: 'pos-1' }, kWinterNoon))).toEqual({ kind: 'hbpos', site_id: 'pos-1' });
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

describe('what the form cannot read is said, not dropped', () => {
  const consulted = { ...initialValues(kDecisionFields), power: 's136', location_type: 'public_place', 'consultation.name': 'Nurse Okafor' };
  it('refuses a time with a letter in it, naming the field, and sends nothing', () => {
    const v = { at: '3:3O' };
    expect(fieldProblems(kArrivalFields, v)).toEqual([{ field: 'at', message: 'Arrival time: “3:3O” is not a time; write it as HH:MM, e.g. 03:30' }]);
    expect(() => buildBody(kArrivalFields, v, kWinterNoon)).toThrow(FormProblems);
    expect(() => buildBody(kArrivalFields, v, kWinterNoon)).toThrow(/Arrival time: .*write it as HH:MM, e\.g\. 03:30/);
  });
  it('refuses a time written with a dot, and one past the end of the day', () => {
    expect(fieldProblems(kDecisionFields, { ...consulted, 'consultation.at': '3.20' })).toEqual([
      { field: 'consultation.at', message: 'Consultation time: “3.20” is not a time; write it as HH:MM, e.g. 03:30' },
    ]);
    const awol = { ...initialValues(kTriageFields), call_type: 'awol', 'awol.absent_since': '25:99' };
    expect(fieldProblems(kTriageFields, awol).map((p) => p.message)).toEqual(['Absent since: “25:99” is not a time; write it as HH:MM, e.g. 03:30']);
  });
  it('refuses a number that is not a whole number', () => {
    const ext = { ...initialValues(kExtensionFields), hours: '6.5', reason: 'condition_of_person' };
    expect(fieldProblems(kExtensionFields, ext)).toEqual([{ field: 'hours', message: 'Extend by: “6.5” is not a whole number; write it in digits, e.g. 20' }]);
    const uof = { ...initialValues(kUseOfForceFields), duration_minutes: 'ten' };
    expect(fieldProblems(kUseOfForceFields, uof).map((p) => p.field)).toEqual(['duration_minutes']);
    expect(buildBody(kExtensionFields, { ...ext, hours: ' 6 ' }, kWinterNoon).hours).toBe(6);
  });
  it('leaves empty optional fields out, and says nothing about hidden ones', () => {
    expect(fieldProblems(kArrivalFields, { at: '' })).toEqual([]);
    expect(buildBody(kArrivalFields, { at: '  ' }, kWinterNoon)).toEqual({});
    // The AWOL time is not asked for another call type: what it holds is not sent, and not a problem.
    const other = { ...initialValues(kTriageFields), 'awol.absent_since': 'nonsense' };
    expect(fieldProblems(kTriageFields, other)).toEqual([]);
  });
  it('reads a good time as before', () => {
    expect(buildBody(kArrivalFields, { at: '3:30' }, kWinterNoon)).toEqual({ at: '2026-11-27T03:30:00.000Z' });
  });
});

describe('choices that go into the record start empty', () => {
  it('asks for the outcome and the transport: nothing is preselected', () => {
    expect(initialValues(kOutcomeFields).outcome).toBe('');
    expect(initialValues(kConveyanceFields).mode).toBe('');
    expect(kOutcomeFields[0].options?.[0]).toEqual(['', 'Choose…']);
    expect(kConveyanceFields[0].options?.[0]).toEqual(['', 'Choose…']);
    expect(fieldProblems(kOutcomeFields, initialValues(kOutcomeFields))).toEqual([{ field: 'outcome', message: 'Outcome of the assessment: choose one' }]);
    expect(fieldProblems(kConveyanceFields, initialValues(kConveyanceFields))).toEqual([{ field: 'mode', message: 'Transport: choose one' }]);
    expect(() => buildBody(kOutcomeFields, initialValues(kOutcomeFields), kWinterNoon)).toThrow(FormProblems);
    expect(buildBody(kOutcomeFields, { ...initialValues(kOutcomeFields), outcome: 'detained_s2' }, kWinterNoon)).toEqual({ outcome: 'detained_s2' });
  });
  it('asks for the power and the reason for an extension', () => {
    expect(initialValues(kDecisionFields).power).toBe('');
    expect(kDecisionFields.find((f) => f.name === 'power')?.options?.[0]).toEqual(['', 'Choose…']);
    const decision = fieldProblems(kDecisionFields, { ...initialValues(kDecisionFields), location_type: 'public_place' });
    expect(decision).toEqual([{ field: 'power', message: 'Power: choose one' }]);
    expect(initialValues(kExtensionFields).reason).toBe('');
    expect(fieldProblems(kExtensionFields, { ...initialValues(kExtensionFields), hours: '6' })).toEqual([{ field: 'reason', message: 'Reason: choose one' }]);
  });
  it('asks where the person was found and the kind of place of safety', () => {
    expect(initialValues(kDecisionFields).location_type).toBe('');
    const place = placeFields([], []);
    expect(initialValues(place).kind).toBe('');
    expect(fieldProblems(place, initialValues(place)).map((p) => p.field)).toEqual(['kind']);
    expect(fieldProblems(place, { ...initialValues(place), kind: 'other' }).map((p) => p.field)).toEqual(['other_type']);
  });
  it('names the outcome in the question asked before the detention ends', () => {
    expect(outcomeConfirmation({ outcome: 'admitted_informally' })).toBe(
      'End the detention with the outcome “Admitted informally”? The outcome cannot be corrected afterwards.',
    );
  });
});

describe('a form that live data changes while it is open', () => {
  it('follows the record while the person has changed nothing', () => {
    expect(shownValues(handoverFields('accepted'), null).stage).toBe('accepted');
    expect(shownValues(handoverFields('officers_left'), null).stage).toBe('officers_left');
  });
  it('keeps what the person chose once they have changed something, and says what moved', () => {
    // The officer chooses "Accepted by health" and types the name; then health accepts through the
    // portal, and the next default stage is "Officers left".
    let edited: Values | null = null;
    edited = editValue(handoverFields('requested'), edited, 'stage', 'accepted');
    edited = editValue(handoverFields('accepted'), edited, 'by', 'RMN Okafor');
    const after = handoverFields('officers_left');
    const shown = shownValues(after, edited);
    expect(shown.stage).toBe('accepted');
    expect(shown.by).toBe('RMN Okafor');
    expect(buildBody(after, shown, kWinterNoon)).toEqual({ stage: 'accepted', by: 'RMN Okafor' });
    expect(movedDefaults(after, initialValues(handoverFields('requested')), shown)).toEqual(['Stage: Officers left']);
  });
  it('says nothing moved when the person already holds the new default', () => {
    const edited = editValue(handoverFields('accepted'), null, 'stage', 'officers_left');
    const after = handoverFields('officers_left');
    expect(movedDefaults(after, initialValues(handoverFields('accepted')), shownValues(after, edited))).toEqual([]);
  });
  it('gives a field that appeared since its default', () => {
    const edited = editValue(kOutcomeFields, null, 'notes', 'seen by Dr Mensah');
    const more: FieldSpec[] = [...kOutcomeFields, { name: 'extra', label: 'Extra', kind: 'checkbox', initial: true }];
    expect(shownValues(more, edited)).toEqual({ outcome: '', notes: 'seen by Dr Mensah', extra: true });
  });
});
