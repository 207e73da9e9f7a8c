// Command-and-control logic the screens share, kept pure so it is unit-tested:
// the create form's defaults and validation, assignment transitions, the
// officer's unit and nearby incidents, alert wording, and the timeline.

import type {
  Alert,
  Assignment,
  Incident,
  SelfDeployAdvisory,
  SuggestedStandDown,
  TimelineEvent,
  Unit,
} from '../api/types';
import { ApiError } from '../api/client';
import { countOf } from './plural';
import { humanise } from './queue';

// ---- Creating an incident ------------------------------------------------------

export interface IncidentType {
  code: string;
  label: string;
  /** The grade a call handler starts from; they change it when THRIVE says otherwise. */
  grade: string;
  /** Flags ticked for them when the type is chosen. */
  flags: string[];
}

/** Common call types, most frequent in mental-health demand first. Codes are the server's free codes. */
export const kIncidentTypes: IncidentType[] = [
  { code: 'mental_health', label: 'Mental health crisis', grade: 'I', flags: ['mental_health'] },
  { code: 'concern_for_welfare', label: 'Concern for welfare', grade: 'S', flags: ['vulnerability'] },
  { code: 'missing_person', label: 'Missing person', grade: 'S', flags: ['vulnerability'] },
  { code: 'absent_from_hospital', label: 'Absent from hospital (AWOL patient)', grade: 'S', flags: ['mental_health', 'vulnerability'] },
  { code: 'self_harm', label: 'Self-harm or suicide risk', grade: 'I', flags: ['mental_health', 'vulnerability'] },
  { code: 'violence', label: 'Violence against the person', grade: 'I', flags: [] },
  { code: 'domestic', label: 'Domestic incident', grade: 'I', flags: ['vulnerability'] },
  { code: 'weapons', label: 'Weapons', grade: 'I', flags: ['weapons'] },
  { code: 'road_traffic_collision', label: 'Road traffic collision', grade: 'I', flags: [] },
  { code: 'burglary', label: 'Burglary', grade: 'S', flags: [] },
  { code: 'suspicious', label: 'Suspicious circumstances', grade: 'S', flags: [] },
  { code: 'antisocial_behaviour', label: 'Antisocial behaviour', grade: 'E', flags: [] },
  { code: 'theft', label: 'Theft', grade: 'E', flags: [] },
  { code: 'advice', label: 'Advice or information', grade: 'R', flags: [] },
];

export const kGradeOptions = [
  { code: 'I', label: 'I — Immediate (15 min)' },
  { code: 'S', label: 'S — Significant (1 h)' },
  { code: 'E', label: 'E — Extended (48 h)' },
  { code: 'R', label: 'R — Referred (no deployment)' },
];

export const kChannels = [
  { code: '999', label: '999' },
  { code: '101', label: '101' },
  { code: 'online', label: 'Online' },
  { code: 'partner', label: 'Partner agency' },
  { code: 'officer_initiated', label: 'Officer initiated' },
];

export const kLocationTypes = [
  { code: 'public_place', label: 'Public place' },
  { code: 'private_dwelling', label: 'Private dwelling' },
  { code: 'dwelling_curtilage', label: 'Garden or curtilage of a dwelling' },
  { code: 'health_setting', label: 'Health setting' },
  { code: 'police_station', label: 'Police station' },
  { code: 'transport', label: 'Transport' },
  { code: 'other', label: 'Other' },
];

export const kFlags = [
  { code: 'mental_health', label: 'Mental health' },
  { code: 'vulnerability', label: 'Vulnerable person' },
  { code: 'weapons', label: 'Weapons' },
  { code: 'children', label: 'Children' },
];

export function incidentTypeLabel(code: string): string {
  return kIncidentTypes.find((t) => t.code === code)?.label ?? humanise(code);
}

/** The grade a type starts at: "S" for types the app does not know. */
export function defaultGrade(type: string): string {
  return kIncidentTypes.find((t) => t.code === type)?.grade ?? 'S';
}

export function defaultFlags(type: string): string[] {
  return kIncidentTypes.find((t) => t.code === type)?.flags ?? [];
}

export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * Coordinates as people paste them: "51.5008, -0.1219", "51.5008 -0.1219",
 * "51.5008N 0.1219W", "51.5008° N, 0.1219° W". Null when it is not a pair in range.
 */
export function parseCoordinates(text: string): LatLon | null {
  const m =
    /^\s*(-?\d+(?:\.\d+)?)\s*°?\s*([NSns])?\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*°?\s*([EWew])?\s*$/.exec(text);
  if (!m) return null;
  let lat = Number(m[1]);
  let lon = Number(m[3]);
  if (m[2] && /s/i.test(m[2])) lat = -Math.abs(lat);
  if (m[4] && /w/i.test(m[4])) lon = -Math.abs(lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

export interface IncidentForm {
  type: string;
  grade: string;
  channel: string;
  address: string;
  lat: string;
  lon: string;
  locationType: string;
  flags: string[];
  description: string;
  callerName: string;
  callerPhone: string;
}

export function emptyIncidentForm(type = 'mental_health'): IncidentForm {
  return {
    type,
    grade: defaultGrade(type),
    channel: '999',
    address: '',
    lat: '',
    lon: '',
    locationType: 'public_place',
    flags: defaultFlags(type),
    description: '',
    callerName: '',
    callerPhone: '',
  };
}

export type FormErrors = Partial<Record<'type' | 'grade' | 'lat' | 'lon' | 'address', string>>;

/** The POST /api/incidents body for a form, or the problems to fix first (keyed by field). */
export function buildIncidentCreate(
  f: IncidentForm,
): { ok: true; body: Record<string, unknown> } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const type = f.type.trim();
  if (!/^[a-z0-9_]{1,40}$/.test(type)) errors.type = 'Choose the type of incident.';
  if (!['I', 'S', 'E', 'R'].includes(f.grade)) errors.grade = 'Choose a grade.';
  const latText = f.lat.trim();
  const lonText = f.lon.trim();
  let point: LatLon | null = null;
  if (latText || lonText) {
    const pasted = !lonText ? parseCoordinates(latText) : null;
    if (pasted) {
      point = pasted;
    } else {
      const lat = Number(latText);
      const lon = Number(lonText);
      if (!latText || !Number.isFinite(lat) || Math.abs(lat) > 90) {
        errors.lat = 'Latitude is a number from -90 to 90, such as 51.5008.';
      }
      if (!lonText || !Number.isFinite(lon) || Math.abs(lon) > 180) {
        errors.lon = 'Longitude is a number from -180 to 180, such as -0.1219.';
      }
      if (!errors.lat && !errors.lon) point = { lat, lon };
    }
  }
  const address = f.address.trim();
  if (!point && !address && !errors.lat && !errors.lon) {
    errors.address = 'Give an address, or a latitude and longitude.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const location: Record<string, unknown> = { type: f.locationType || 'public_place' };
  if (address) location.address = address;
  if (point) {
    location.lat = point.lat;
    location.lon = point.lon;
  }
  const body: Record<string, unknown> = {
    channel: f.channel || '999',
    type,
    grade: f.grade,
    location,
    flags: [...new Set(f.flags)],
  };
  if (f.description.trim()) body.description = f.description.trim();
  const caller: Record<string, string> = {};
  if (f.callerName.trim()) caller.name = f.callerName.trim();
  if (f.callerPhone.trim()) caller.phone = f.callerPhone.trim();
  if (Object.keys(caller).length > 0) body.caller = caller;
  return { ok: true, body };
}

// ---- Assignments -----------------------------------------------------------------

/** The server's transitions (cad_assignments.cpp TransitionAllowed). */
const kNext: Record<string, string[]> = {
  assigned: ['en_route', 'at_scene', 'cleared'],
  en_route: ['at_scene', 'cleared'],
  at_scene: ['left_scene', 'cleared'],
  left_scene: ['at_scene', 'cleared'],
};

export function allowedTransitions(state: string): string[] {
  return kNext[state] ?? [];
}

/** The step a unit usually takes next from `state`: the button drawn as the main one. */
const kLikelyNext: Record<string, string> = {
  assigned: 'en_route',
  en_route: 'at_scene',
  at_scene: 'cleared',
  left_scene: 'cleared',
};

export function likelyNext(state: string): string | null {
  return kLikelyNext[state] ?? null;
}

export function isActiveAssignment(state: string): boolean {
  return state !== 'cleared' && state !== 'stood_down';
}

export const kAssignmentStateLabels: Record<string, string> = {
  assigned: 'Assigned',
  en_route: 'En route',
  at_scene: 'At scene',
  left_scene: 'Left scene',
  cleared: 'Cleared',
  stood_down: 'Stood down',
};

export function assignmentStateLabel(state: string): string {
  return kAssignmentStateLabels[state] ?? humanise(state);
}

/** Active first (in the order they were assigned), then finished ones. */
export function sortAssignments(list: readonly Assignment[]): Assignment[] {
  return [...list].sort(
    (a, b) =>
      Number(!isActiveAssignment(a.state)) - Number(!isActiveAssignment(b.state)) ||
      a.assigned_at.localeCompare(b.assigned_at) ||
      a.call_sign.localeCompare(b.call_sign, 'en-GB', { numeric: true }),
  );
}

// ---- Units -------------------------------------------------------------------------

/** The server's unit statuses (policy.hpp), in the order an officer's buttons show them. */
export const kUnitStatuses = [
  'available',
  'en_route',
  'at_scene',
  'transporting',
  'at_hospital',
  'committed_elsewhere',
  'unavailable',
  'off_duty',
];

/** The unit a collar crews, if any. */
export function findMyUnit(units: readonly Unit[], collar: string | undefined | null): Unit | null {
  if (!collar) return null;
  const want = collar.trim().toUpperCase();
  return units.find((u) => u.crew.some((c) => c.collar.trim().toUpperCase() === want)) ?? null;
}

/** Incidents the unit is on: the active one first, then those stacked behind it. */
export function unitIncidentIds(unit: Unit): string[] {
  const out: string[] = [];
  if (unit.active_incident) out.push(unit.active_incident);
  for (const id of unit.stacked ?? []) if (!out.includes(id)) out.push(id);
  return out;
}

/** Great-circle distance in metres. */
export function distanceMetres(a: LatLon, b: LatLon): number {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface NearbyIncident {
  incident: Incident;
  /** Null when the unit or the incident has no position. */
  distance_m: number | null;
}

/** How far "nearby" reaches for an officer: across a BCU and into the next. */
export const kNearbyMetres = 20_000;

/**
 * Open incidents for an officer to consider, nearest first (unlocated ones
 * last), leaving out those in `exclude` (the unit's own) and located ones
 * further than `withinMetres` (another force's incident 260 km away is not
 * one to self-deploy to).
 */
export function nearbyIncidents(
  incidents: readonly Incident[],
  unit: Unit | null,
  exclude: ReadonlySet<string>,
  limit = 10,
  withinMetres = kNearbyMetres,
): NearbyIncident[] {
  const here = unit?.location ? { lat: unit.location.lat, lon: unit.location.lon } : null;
  return incidents
    .filter((i) => i.status === 'open' && !exclude.has(i.id))
    .map((incident) => {
      const { lat, lon } = incident.location;
      const located = incident.location.located !== false && lat !== null && lon !== null;
      return { incident, distance_m: here && located ? distanceMetres(here, { lat: lat!, lon: lon! }) : null };
    })
    .filter((n) => n.distance_m === null || n.distance_m <= withinMetres)
    .sort((a, b) => (a.distance_m ?? Infinity) - (b.distance_m ?? Infinity) || a.incident.reference.localeCompare(b.incident.reference))
    .slice(0, limit);
}

/** "850 m", "3.6 km", "24 km". */
export function formatDistance(m: number): string {
  if (m < 1000) return `${Math.round(m / 10) * 10} m`;
  if (m < 10000) return `${(m / 1000).toFixed(1)} km`;
  return `${Math.round(m / 1000)} km`;
}

// ---- Alerts --------------------------------------------------------------------------

const kAlertLabels: Record<string, string> = {
  over_attendance: 'Over-attendance',
  status_prompt: 'Status prompt',
  status_not_updated: 'Status not updated',
  unrecorded_attendance: 'Unrecorded attendance',
  s136_clock: 'Section 136 clock',
  s136_not_arrived: 'Not at a place of safety',
  handover_wait: 'Handover wait',
  welfare_check_missed: 'Welfare check missed',
  referral_overdue: 'Referral overdue',
  org_vacancy: 'Organisation vacancy',
  hiu_review_due: 'HIU flag review due',
};

export function alertTypeLabel(type: string): string {
  return kAlertLabels[type] ?? humanise(type);
}

const kAudienceLabels: Record<string, string> = {
  control: 'Control room',
  supervisor: 'Supervisor',
  unit: 'Unit',
  mh_team: 'Mental Health Team',
};

export function audienceLabel(audience: string | undefined): string {
  if (!audience) return 'Control room';
  return kAudienceLabels[audience] ?? humanise(audience);
}

/**
 * Open alerts in the order a controller should read them: an over-attendance alert first (it
 * asks for one action that changes the scene), the per-unit status reminders last (there can be
 * one per unit at a crowded scene, and they must not push the others out of the pane), newest
 * first within each.
 */
export function alertReadingOrder(a: Pick<Alert, 'type' | 'raised_at'>, b: Pick<Alert, 'type' | 'raised_at'>): number {
  const rank = (t: string) => (t === 'over_attendance' ? 0 : t === 'status_prompt' || t === 'status_not_updated' ? 2 : 1);
  return rank(a.type) - rank(b.type) || (Date.parse(b.raised_at) || 0) - (Date.parse(a.raised_at) || 0);
}

/** The over-attendance alert's suggested stand-down list, or [] for any other alert. */
export function suggestedStandDown(alert: Alert): SuggestedStandDown[] {
  if (alert.type !== 'over_attendance') return [];
  const list = alert.data?.suggested_stand_down;
  if (!Array.isArray(list)) return [];
  return list
    .filter((x): x is SuggestedStandDown => !!x && typeof x === 'object' && typeof (x as SuggestedStandDown).unit_id === 'string')
    .map((x) => ({ unit_id: x.unit_id, call_sign: x.call_sign || x.unit_id, distance_m: Number(x.distance_m) || 0 }));
}

/**
 * Status prompts addressed to the unit that still need doing: open, naming the
 * unit, and the unit not yet recorded at scene there (the server leaves the
 * alert open for the control room after the unit complies).
 */
export function openStatusPrompts(
  alerts: readonly Alert[],
  unitId: string,
  assignmentStateByIncident: ReadonlyMap<string, string>,
): Alert[] {
  return alerts.filter((a) => {
    if (a.type !== 'status_prompt' || a.acknowledged_at || !a.unit_ids.includes(unitId)) return false;
    const state = a.incident_id ? assignmentStateByIncident.get(a.incident_id) : undefined;
    return state === undefined || (state !== 'at_scene' && isActiveAssignment(state));
  });
}

/** The advisory in a 422 refusing a self-deployment, or null for any other error. */
export function readAdvisory(err: unknown): SelfDeployAdvisory | null {
  if (!(err instanceof ApiError) || err.status !== 422 || err.field !== 'confirm') return null;
  const a = err.details?.advisory;
  if (!a || typeof a !== 'object') return null;
  const o = a as Partial<SelfDeployAdvisory>;
  return {
    incident_id: String(o.incident_id ?? ''),
    reference: String(o.reference ?? ''),
    recommended: Number(o.recommended ?? 0),
    assigned: Number(o.assigned ?? 0),
    attending: Number(o.attending ?? 0),
  };
}

// ---- Timeline ------------------------------------------------------------------------

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/**
 * One line for a timeline event, in words: "AW12 dispatched", "THRIVE v2:
 * overall high". `callSign` turns unit ids into call signs.
 */
/** "1 unit", "2 units": a count of units from an event's data. */
function unitsText(n: unknown): string {
  return typeof n === 'number' ? countOf(n, 'unit') : `${String(n ?? '')} units`;
}

export function describeEvent(e: TimelineEvent, callSign: (unitId: string) => string): string {
  const d = e.data ?? {};
  const unit = () => callSign(str(d.unit_id));
  switch (e.type) {
    case 'incident.created':
      return `Created from ${str(d.channel) === 'emergency_button' ? 'the emergency button' : `a ${str(d.channel)} call`}: ${incidentTypeLabel(str(d.type))}, grade ${str(d.grade)}`;
    case 'assignment.created': {
      const how = str(d.mode) === 'self_deployed' ? 'self-deployed' : 'dispatched';
      const state = str(d.state) === 'at_scene' ? ' (at scene)' : '';
      const advisory = d.after_advisory === true ? ' after the sufficient-resources advisory' : '';
      const reason = str(d.reason) ? ` — ${str(d.reason)}` : '';
      return `${unit()} ${how}${state}${advisory}${reason}`;
    }
    case 'assignment.state_changed':
      return `${unit()}: ${assignmentStateLabel(str(d.from))} → ${assignmentStateLabel(str(d.state))}${d.by_closure === true ? ' (incident closed)' : ''}`;
    case 'assignment.stood_down':
      return `${unit()} stood down${str(d.reason) ? ` — ${str(d.reason)}` : ''}`;
    case 'incident.resourced':
      return `Resourced: ${str(d.assigned)} of ${unitsText(d.recommended)} assigned; self-deployment now needs a reason`;
    case 'incident.unresourced':
      return `No longer resourced: ${str(d.assigned)} of ${unitsText(d.recommended)}`;
    case 'incident.thrive_assessed':
      return `THRIVE v${str(d.version)}: overall ${str(d.overall)}`;
    case 'incident.logged':
      return `Log: ${str(d.text)}`;
    case 'incident.regraded':
      return `Regraded ${str(d.from)} → ${str(d.grade)}${str(d.reason) ? ` — ${str(d.reason)}` : ''}`;
    case 'incident.person_linked':
      return `Person linked: ${str(d.person_id)}`;
    case 'incident.closed':
      return `Closed: ${humanise(str(d.result_code))}${str(d.summary) ? ` — ${str(d.summary)}` : ''}`;
    case 'incident.reopened':
      return `Reopened${str(d.reason) ? ` — ${str(d.reason)}` : ''}`;
    case 'alert.raised':
      return `Alert (${alertTypeLabel(str(d.alert_type))}): ${str(d.message)}`;
    case 'alert.acknowledged':
      return `Alert ${str(d.alert_id)} acknowledged${str(d.note) ? ` — ${str(d.note)}` : ''}`;
    case 'alert.updated':
      return `Alert ${str(d.alert_id)} now: ${str(d.message)}`;
    case 'unit.near_incident':
      return `${unit()} within the incident's radius${d.assigned === true ? '' : ' (not assigned)'}`;
    case 'unit.left_incident_area':
      return `${unit()} left the incident's area`;
    case 'compliance.prompted':
      return `${unit()} prompted to update its status`;
    case 'incident.presence_unrecorded':
      return `${unit()} present without an assignment`;
    case 'incident.shared': {
      const why = str(d.reason) === 'place_of_safety' ? ': it runs the place of safety' : str(d.referral_id) ? ` with referral ${str(d.referral_id)}` : '';
      return `Shared with ${str(d.agency_id)}${why}`;
    }
    case 'incident.share_withdrawn':
      return `Sharing with ${str(d.agency_id)} withdrawn`;
    case 'mh.triaged': {
      const version = str(d.version) ? ` v${str(d.version)}` : '';
      const attend = d.police_attend === true ? 'police attend' : 'police do not attend';
      const threshold = str(d.threshold) && str(d.threshold) !== 'none' ? ` (${humanise(str(d.threshold))})` : '';
      const signposted = str(d.signposted_to) ? `; signposted to ${humanise(str(d.signposted_to))}` : '';
      return `Right Care Right Person triage${version}: ${attend}${threshold}${signposted}`;
    }
    default:
      return humanise(e.type.replace(/\./g, ' '));
  }
}
