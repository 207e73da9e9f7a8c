// The fields of each step of the detention record and of the decision
// records (NDM, Mental Capacity Act s5 and s6, use of force), named as the
// server reads them (src/core/mh_*.cpp). The server applies the law; these
// only decide what is asked and how it is sent.
//
// Facts that go into the Home Office return or end the record (the power,
// where the person was found, the kind of place of safety, the transport, the
// reason for an extension, the outcome) start on "Choose…": a form sent with
// one tap must not record a default the officer never chose.

import type { FieldSpec, Values } from './forms';
import { kConsultRoles, kOutcomes } from './detention';

export { kConsultRoles };

type Options = ReadonlyArray<readonly [string, string]>;

export const kLocationTypes: Options = [
  ['public_place', 'Public place'],
  ['communal_area', 'Communal area (not a dwelling)'],
  ['transport', 'Transport'],
  ['health_setting', 'Health setting'],
  ['police_station', 'Police station'],
  ['private_dwelling', 'Private dwelling'],
  ['dwelling_curtilage', 'Garden, yard or outbuilding of a dwelling'],
  ['other', 'Other'],
];


/** person.sex as the server takes it (kSex, src/core/mh_detentions.cpp); blank leaves it out. */
export const kSexes: Options = [
  ['', 'Choose…'],
  ['female', 'Female'],
  ['male', 'Male'],
  ['other', 'Other'],
  ['not_stated', 'Not stated'],
];

/** person.ethnicity (kEthnicity): the Home Office annual return's broad groups. */
export const kEthnicities: Options = [
  ['', 'Choose…'],
  ['white', 'White'],
  ['mixed', 'Mixed or multiple ethnic groups'],
  ['asian', 'Asian or Asian British'],
  ['black', 'Black, Black British, Caribbean or African'],
  ['other', 'Other ethnic group'],
  ['not_stated', 'Not stated'],
];

export const kRanks: Options = [
  ['constable', 'Constable'],
  ['sergeant', 'Sergeant'],
  ['inspector', 'Inspector'],
  ['chief_inspector', 'Chief inspector'],
  ['superintendent', 'Superintendent'],
  ['chief_superintendent', 'Chief superintendent'],
];

const is = (name: string, ...values: string[]) => (v: Values) => values.includes(String(v[name]));
const isNot = (name: string, value: string) => (v: Values) => v[name] !== value;

/** POST /api/incidents/{id}/detentions */
export const kDecisionFields: FieldSpec[] = [
  { name: 'power', label: 'Power', kind: 'select', required: true, options: [['', 'Choose…'], ['s136', 's136 (removal or keeping, no warrant)'], ['s135', 's135 warrant']] },
  { name: 'location_type', label: 'Where the person was found', kind: 'select', required: true, options: [['', 'Choose…'], ...kLocationTypes] },
  { name: 'grounds.mental_disorder', label: 'The person appears to be suffering from mental disorder because…', kind: 'textarea', when: is('power', 's136') },
  { name: 'grounds.care_or_control', label: 'They are in immediate need of care or control because…', kind: 'textarea', when: is('power', 's136') },
  { name: 'grounds.necessity', label: 'Removal is necessary in their interests or for others’ protection because…', kind: 'textarea', when: is('power', 's136') },
  { name: 'consulted', label: 'A health professional was consulted before the decision', kind: 'checkbox', initial: true, when: is('power', 's136') },
  { name: 'consultation.name', label: 'Consulted: name', kind: 'text', when: (v) => v.power === 's136' && v.consulted === true },
  { name: 'consultation.role', label: 'Consulted: role', kind: 'select', options: kConsultRoles, when: (v) => v.power === 's136' && v.consulted === true },
  { name: 'consultation.at', label: 'Consulted at (HH:MM, optional)', kind: 'time', short: 'Consultation time', when: (v) => v.power === 's136' && v.consulted === true },
  { name: 'consultation.advice', label: 'Advice given', kind: 'textarea', when: (v) => v.power === 's136' && v.consulted === true },
  { name: 'impracticable_reason', label: 'Why consultation was not practicable', kind: 'textarea', when: (v) => v.power === 's136' && v.consulted !== true },
  { name: 'warrant.reference', label: 'Warrant reference', kind: 'text', when: is('power', 's135') },
  { name: 'warrant.issued_by', label: 'Issued by (justice of the peace)', kind: 'text', when: is('power', 's135') },
  { name: 'warrant.amhp', label: 'AMHP present', kind: 'text', when: is('power', 's135') },
  { name: 'warrant.doctor', label: 'Registered medical practitioner present', kind: 'text', when: is('power', 's135') },
  { name: 'person.age', label: 'Age (years)', kind: 'number', hint: 'Or give the date of birth' },
  { name: 'person.date_of_birth', label: 'Date of birth (YYYY-MM-DD)', kind: 'text' },
  { name: 'person.appears_child', label: 'Age unknown and the person may be under 18', kind: 'checkbox' },
  { name: 'person.sex', label: 'Sex (optional)', kind: 'select', options: kSexes, hint: 'For the Home Office annual return' },
  { name: 'person.ethnicity', label: 'Ethnicity (optional, as the person defines it)', kind: 'select', options: kEthnicities, hint: 'For the Home Office annual return' },
  { name: 'kept_at_location', label: 'Kept where found (that place is the place of safety)', kind: 'checkbox' },
];

/** The consulted checkbox is the form's, not the server's. */
export function decisionBodyFix(body: Record<string, unknown>): Record<string, unknown> {
  const { consulted: _consulted, ...rest } = body;
  const person = rest.person as Record<string, unknown> | undefined;
  if (person && person.appears_child === false && (person.age !== undefined || person.date_of_birth !== undefined)) {
    delete person.appears_child;
  }
  if (person && person.appears_child === false && person.age === undefined && person.date_of_birth === undefined) {
    delete person.appears_child; // let the server say what it needs
  }
  if (rest.kept_at_location === false) delete rest.kept_at_location;
  return rest;
}

export const kSearchFields: FieldSpec[] = [
  { name: 'grounds.danger', label: 'Grounds: may be a danger to themselves or others because…', kind: 'textarea' },
  { name: 'grounds.concealing', label: 'Grounds: may be concealing an item that could cause injury because…', kind: 'textarea' },
  { name: 'extent', label: 'What was searched', kind: 'checkboxes', always: true, options: [['outer_clothing', 'Outer clothing (coat, jacket)'], ['gloves', 'Gloves'], ['mouth', 'Mouth']] },
  { name: 'items_found', label: 'Items found', kind: 'text' },
];

export interface SiteOption {
  id: string;
  label: string;
}

/** POST /api/detentions/{id}/place-of-safety and /transfer. */
export function placeFields(hbpos: SiteOption[], eds: SiteOption[]): FieldSpec[] {
  return [
    { name: 'kind', label: 'Kind of place', kind: 'select', required: true, options: [['', 'Choose…'], ['hbpos', 'Health-based place of safety'], ['emergency_department', 'Emergency department'], ['police_station', 'Police station'], ['other', 'Other place']] },
    { name: 'site_id', label: 'Health-based place of safety', kind: 'select', options: [['', 'Choose…'], ...hbpos.map((s) => [s.id, s.label] as const)], when: is('kind', 'hbpos') },
    { name: 'site_id_ed', label: 'Emergency department', kind: 'select', options: [['', 'Choose…'], ...eds.map((s) => [s.id, s.label] as const)], when: is('kind', 'emergency_department') },
    { name: 'site_id_station', label: 'Police station', kind: 'text', when: is('kind', 'police_station') },
    { name: 'police_station.imminent_risk', label: 'Imminent risk of serious injury or death: why', kind: 'textarea', when: is('kind', 'police_station') },
    { name: 'police_station.no_other_place', label: 'Why no other place of safety can take them', kind: 'textarea', when: is('kind', 'police_station') },
    { name: 'police_station.healthcare_professional', label: 'Healthcare professional who will be present', kind: 'text', when: is('kind', 'police_station') },
    { name: 'police_station.decision_maker_rank', label: 'Rank of the officer deciding', kind: 'select', options: kRanks, when: is('kind', 'police_station') },
    { name: 'police_station.inspector_authorisation.name', label: 'Authorising inspector: name', kind: 'text', when: is('kind', 'police_station') },
    { name: 'police_station.inspector_authorisation.rank', label: 'Authorising inspector: rank', kind: 'select', options: [['', '—'], ...kRanks.slice(2)], when: is('kind', 'police_station') },
    { name: 'police_station.inspector_authorisation.at', label: 'Authorised at (HH:MM)', kind: 'time', when: is('kind', 'police_station') },
    { name: 'police_station.inspector_authorisation.reason', label: 'Authorisation: reason', kind: 'textarea', when: is('kind', 'police_station') },
    { name: 'other_type', label: 'Type of place', kind: 'select', required: true, options: [['', 'Choose…'], ['hospital', 'Hospital'], ['care_home', 'Care home'], ['local_authority_residential', 'Local-authority residential'], ['private_home', 'Private home'], ['other_suitable_place', 'Other suitable place']], when: is('kind', 'other') },
    { name: 'description', label: 'Description', kind: 'text', when: is('kind', 'other') },
    { name: 'consent.person', label: 'The person agrees', kind: 'checkbox', when: is('kind', 'other') },
    { name: 'consent.occupier', label: 'The occupier agrees / is willing', kind: 'checkbox', when: is('kind', 'other') },
  ];
}

/** The place body: the site field that applies becomes site_id. */
export function placeBodyFix(body: Record<string, unknown>): Record<string, unknown> {
  const { site_id_ed, site_id_station, ...rest } = body;
  if (rest.kind === 'emergency_department' && site_id_ed !== undefined) rest.site_id = site_id_ed;
  if (rest.kind === 'police_station' && site_id_station !== undefined) rest.site_id = site_id_station;
  return rest;
}

export const kConveyanceFields: FieldSpec[] = [
  { name: 'mode', label: 'Transport', kind: 'select', required: true, options: [['', 'Choose…'], ['ambulance', 'Ambulance'], ['police_vehicle', 'Police vehicle'], ['other_vehicle', 'Other vehicle']] },
  { name: 'ambulance_requested_at', label: 'Ambulance requested at (HH:MM)', kind: 'time' },
  { name: 'ambulance_eta', label: 'Ambulance ETA (HH:MM)', kind: 'time' },
  { name: 'departed_at', label: 'Departed at (HH:MM)', kind: 'time' },
  { name: 'police_vehicle_reason', label: 'Why a police vehicle', kind: 'select', options: [['', 'Choose…'], ['ambulance_not_available', 'Ambulance not available'], ['ambulance_delayed', 'Ambulance delayed'], ['risk_of_violence', 'Risk of violence'], ['clinical_advice', 'Clinical advice'], ['other', 'Other']], when: is('mode', 'police_vehicle') },
  { name: 'reason_detail', label: 'Reason in detail', kind: 'textarea', when: is('mode', 'police_vehicle') },
];

export const kArrivalFields: FieldSpec[] = [
  { name: 'at', label: 'Arrived at (HH:MM, blank for now)', kind: 'time', short: 'Arrival time' },
];

export const kWelfareFields: FieldSpec[] = [
  { name: 'kind', label: 'Check', kind: 'select', options: [['welfare', 'Welfare check (reg 4, every 30 min)'], ['custody_review', 'Custody review (reg 3)']] },
  { name: 'by', label: 'Checked by', kind: 'text' },
  { name: 'role', label: 'Their role', kind: 'text' },
  { name: 'conditions_met', label: 'The reg 2 conditions still hold', kind: 'checkbox', when: is('kind', 'custody_review') },
  { name: 'notes', label: 'Notes', kind: 'textarea' },
];

export function handoverFields(stage: string): FieldSpec[] {
  return [
    { name: 'stage', label: 'Stage', kind: 'select', initial: stage, options: [['requested', 'Handover requested'], ['accepted', 'Accepted by health'], ['officers_left', 'Officers left'], ['escalated', 'Wait escalated']] },
    { name: 'to', label: 'Requested from', kind: 'text', when: is('stage', 'requested') },
    { name: 'by', label: 'Accepted by (health professional)', kind: 'text', when: is('stage', 'accepted') },
    { name: 'notes', label: 'Notes (for an escalation: to whom, and what they said)', kind: 'textarea', when: isNot('stage', 'officers_left') },
  ];
}

export const kExtensionFields: FieldSpec[] = [
  { name: 'hours', label: 'Extend by (hours, up to 12)', kind: 'number' },
  { name: 'reason', label: 'Reason', kind: 'select', required: true, options: [['', 'Choose…'], ['condition_of_person', 'The person’s condition'], ['awaiting_bed', 'Waiting for a bed'], ['awaiting_professional', 'Waiting for a professional'], ['other', 'Other']] },
  { name: 'clinical_reason', label: 'Clinical reason', kind: 'textarea' },
  { name: 'doctor.name', label: 'Doctor: name', kind: 'text' },
  { name: 'doctor.role', label: 'Doctor: role', kind: 'select', options: [['registered_medical_practitioner', 'Registered medical practitioner'], ['other', 'Other']] },
  { name: 'doctor.responsible_for_examination', label: 'The doctor is responsible for the examination', kind: 'checkbox' },
  { name: 'superintendent.name', label: 'Superintendent approving (at a police station)', kind: 'text' },
  { name: 'superintendent.rank', label: 'Their rank', kind: 'select', options: [['', '—'], ['superintendent', 'Superintendent'], ['chief_superintendent', 'Chief superintendent'], ['commander', 'Commander']] },
];

export const kOutcomeFields: FieldSpec[] = [
  { name: 'outcome', label: 'Outcome of the assessment', kind: 'select', required: true, options: [['', 'Choose…'], ...kOutcomes] },
  { name: 'notes', label: 'Notes', kind: 'textarea' },
];

/** Ending a detention cannot be undone: what is asked before it is sent, naming the outcome. */
export function outcomeConfirmation(v: Values): string {
  const chosen = kOutcomes.find(([k]) => k === v.outcome)?.[1] ?? String(v.outcome);
  return `End the detention with the outcome “${chosen}”? The outcome cannot be corrected afterwards.`;
}

export const kNdmFields: FieldSpec[] = [
  { name: 'decision', label: 'Decision', kind: 'textarea' },
  { name: 'code_of_ethics', label: 'Code of Ethics: how the decision reflects it', kind: 'textarea' },
  { name: 'stages.information', label: '1. Information and intelligence', kind: 'textarea' },
  { name: 'stages.threat_and_risk', label: '2. Threat and risk assessment', kind: 'textarea' },
  { name: 'stages.powers_and_policy', label: '3. Powers and policy', kind: 'textarea' },
  { name: 'stages.options', label: '4. Options and contingencies', kind: 'textarea' },
  { name: 'stages.action_and_review', label: '5. Action and review', kind: 'textarea' },
];

export const kCapacityFields: FieldSpec[] = [
  { name: 'decision', label: 'The decision the person must make', kind: 'textarea' },
  { name: 'impairment', label: 'Impairment of, or disturbance in, the mind or brain', kind: 'textarea' },
  { name: 'unable_to', label: 'The person is unable to', kind: 'checkboxes', always: true, options: [['understand', 'Understand the information'], ['retain', 'Retain it'], ['use_or_weigh', 'Use or weigh it'], ['communicate', 'Communicate the decision']] },
  { name: 'unwise_decision_only', label: 'The only concern is that the decision is unwise', kind: 'checkbox' },
  { name: 'support_given', label: 'Practicable steps taken to help them decide', kind: 'textarea' },
  { name: 'steps_taken', label: 'Steps taken to establish capacity', kind: 'textarea' },
  { name: 'reasonably_believes_lacks_capacity', label: 'I reasonably believe the person lacks capacity in this matter', kind: 'checkbox' },
  { name: 'act', label: 'The act done', kind: 'textarea' },
  { name: 'best_interests', label: 'Why the act is in their best interests', kind: 'textarea' },
  { name: 'least_restrictive', label: 'Why it is the least restrictive option', kind: 'textarea' },
  { name: 'person.age', label: 'Age (if not on the detention)', kind: 'number' },
];

export function restraintFields(capacityRecords: SiteOption[]): FieldSpec[] {
  return [
    { name: 'capacity_record_id', label: 'Capacity record (s5) it rests on', kind: 'select', options: [['', 'None recorded'], ...capacityRecords.map((r) => [r.id, r.label] as const)] },
    { name: 'type', label: 'Type of restraint', kind: 'text' },
    { name: 'duration_minutes', label: 'Duration (minutes)', kind: 'number' },
    { name: 'harm_prevented', label: 'Harm to the person it prevented', kind: 'textarea' },
    { name: 'reasonably_believed_necessary', label: 'I reasonably believed it necessary to prevent harm to the person', kind: 'checkbox' },
    { name: 'necessity', label: 'Why it was necessary', kind: 'textarea' },
    { name: 'proportionate', label: 'It was proportionate to the likelihood and seriousness of harm', kind: 'checkbox' },
    { name: 'proportionality', label: 'Why it was proportionate', kind: 'textarea' },
    { name: 'de_escalation', label: 'De-escalation tried', kind: 'textarea' },
  ];
}

export const kUseOfForceFields: FieldSpec[] = [
  { name: 'started_at', label: 'Started at (HH:MM)', kind: 'time' },
  { name: 'duration_minutes', label: 'Duration (minutes)', kind: 'number' },
  { name: 'types', label: 'Force used', kind: 'checkboxes', always: true, options: [['unarmed_restraint', 'Unarmed restraint'], ['handcuffs', 'Handcuffs'], ['limb_restraints', 'Limb restraints'], ['taser_drawn', 'Taser drawn'], ['other', 'Other']] },
  { name: 'in_care_plan', label: 'The force is in the person’s care plan', kind: 'checkbox' },
  { name: 'bwv_worn', label: 'Body-worn video worn', kind: 'checkbox', initial: true },
  { name: 'bwv_recording', label: 'Body-worn video recording', kind: 'checkbox', initial: true },
  { name: 'bwv_reason', label: 'Why body-worn video was not worn or not recording', kind: 'textarea', when: (v) => v.bwv_worn !== true || v.bwv_recording !== true },
  { name: 'reason', label: 'Reason for the force', kind: 'textarea' },
  { name: 'place', label: 'Where', kind: 'text' },
  { name: 'how_used', label: 'How it was used', kind: 'textarea' },
  { name: 'staff_involved', label: 'Staff and officers involved', kind: 'text' },
  { name: 'why_police_involved', label: 'Why police were involved', kind: 'textarea' },
  { name: 'efforts_to_avoid', label: 'Efforts to avoid force', kind: 'textarea' },
  { name: 'injury', label: 'Injury (to anyone)', kind: 'text' },
  { name: 'outcome', label: 'Outcome', kind: 'text' },
];

/** POST /api/incidents/{id}/triage — Right Care, Right Person (each save is a new version). */
export const kTriageFields: FieldSpec[] = [
  { name: 'call_type', label: 'Call type', kind: 'select', options: [['concern_for_welfare', 'Concern for welfare'], ['walkout', 'Walk-out from a health setting'], ['awol', 'AWOL patient'], ['medical_need', 'Medical need'], ['transport', 'Transport'], ['s136_handover', 's136 handover']] },
  { name: 'threshold', label: 'RCRP threshold met', kind: 'select', options: [['risk_to_life', 'Real and immediate risk to life'], ['serious_harm', 'Risk of serious harm'], ['crime', 'Crime'], ['none', 'None: police will not attend']] },
  { name: 'rationale', label: 'Rationale', kind: 'textarea' },
  { name: 'caller_told', label: 'The caller was told whether police will attend', kind: 'checkbox' },
  { name: 'signposted_to', label: 'Signposted to', kind: 'select', options: [['', 'Choose…'], ['trust_crisis_line', 'Trust crisis line'], ['nhs111_mh', 'NHS 111 mental-health option'], ['ambulance', 'Ambulance'], ['gp', 'GP'], ['other', 'Other']], when: is('threshold', 'none') },
  { name: 'signposted_detail', label: 'Agency (when other)', kind: 'text', when: (v) => v.threshold === 'none' && v.signposted_to === 'other' },
  { name: 'warm_handover.made', label: 'A warm handover was made', kind: 'checkbox', when: is('threshold', 'none') },
  { name: 'warm_handover.to', label: 'Handed over to', kind: 'text', when: (v) => v.threshold === 'none' && v['warm_handover.made'] === true },
  { name: 'warm_handover.reason_not_made', label: 'Why no warm handover', kind: 'textarea', when: (v) => v.threshold === 'none' && v['warm_handover.made'] !== true },
  { name: 'awol.patient_legal_status', label: 'Patient’s legal status', kind: 'select', options: [['', 'Choose…'], ['informal', 'Informal'], ['part2', 'Detained (Part II)'], ['part3', 'Detained (Part III)'], ['cto', 'Community treatment order']], when: is('call_type', 'awol') },
  { name: 'awol.absent_since', label: 'Absent since (HH:MM)', kind: 'time', when: is('call_type', 'awol') },
  { name: 'awol.hospital_reported_at', label: 'Hospital reported at (HH:MM)', kind: 'time', when: is('call_type', 'awol') },
  { name: 'awol.dangerous', label: 'Considered dangerous', kind: 'checkbox', when: is('call_type', 'awol') },
  { name: 'awol.particularly_vulnerable', label: 'Particularly vulnerable', kind: 'checkbox', when: is('call_type', 'awol') },
  { name: 'awol.return_under_s18', label: 'Return under s18 asked for', kind: 'checkbox', when: is('call_type', 'awol') },
  { name: 'unit_request', label: 'The request comes from a mental-health unit', kind: 'checkbox' },
  { name: 'mh_unit_request.unit', label: 'Unit', kind: 'text', when: (v) => v.unit_request === true },
  { name: 'mh_unit_request.purpose', label: 'What they ask the police to do', kind: 'textarea', when: (v) => v.unit_request === true },
  { name: 'mh_unit_request.exception', label: 'MoU exception that applies', kind: 'select', options: [['', 'None of them'], ['staff_injured', 'Staff injured'], ['too_few_staff', 'Too few staff'], ['risk_to_life', 'Risk to life'], ['property_damage', 'Serious property damage'], ['weapon_or_hostage', 'Weapon or hostage']], when: (v) => v.unit_request === true },
];

/** The unit-request checkbox is the form's; the server takes the object when there is one. */
export function triageBodyFix(body: Record<string, unknown>): Record<string, unknown> {
  const { unit_request, ...rest } = body;
  if (unit_request === true && rest.mh_unit_request === undefined) rest.mh_unit_request = {};
  return rest;
}
