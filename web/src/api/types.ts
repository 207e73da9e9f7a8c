// Shapes of the Concordat HTTP API as the web app uses them. They mirror the
// server contract; fields the app does not read are left out or loosely typed.
import type { BoardDetention, PlaceOfSafety } from './mh';

export type Role =
  | 'call_handler'
  | 'controller'
  | 'supervisor'
  | 'officer'
  | 'mh_team'
  | 'clinician'
  | 'amhp'
  | 'ambulance'
  | 'hub111'
  | 'analyst'
  | 'auditor'
  | 'admin';

export interface Agency {
  id: string;
  name: string;
}

export interface User {
  id: string;
  username: string;
  name: string;
  role: Role;
  agency: Agency;
  /** An officer's collar number ("AW-1001"): how the officer view finds the unit they crew. */
  collar?: string;
}

export interface LoginResponse {
  token: string;
  user: User;
  expires_at: string;
}

export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'already_exists'
  | 'failed_precondition'
  | 'aborted'
  | 'resource_exhausted'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  code: ErrorCode | string;
  message: string;
  field?: string;
  /** Extra structure for some errors, e.g. {advisory: SelfDeployAdvisory} on a 422 "confirm". */
  details?: Record<string, unknown>;
}

export interface Health {
  /** "ok", or "failing" while the log cannot be written (reads still work). */
  status: string;
  version: string;
  log_seq: number;
  /** Why it is failing, when it is. */
  problem?: string;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface IncidentLocation {
  /** False when the incident has only an address: lat and lon are then null. */
  located?: boolean;
  lat: number | null;
  lon: number | null;
  address: string;
  type: string;
}

/** An incident as the board and GET /api/incidents give it. */
export interface Incident {
  id: string;
  reference: string;
  grade: string;
  grade_name?: string;
  type: string;
  channel?: string;
  flags: string[];
  status: string;
  description: string;
  location: IncidentLocation;
  borough: CodeName | null;
  bcu: CodeName | null;
  received_at?: string;
  created_at: string;
  target_at: string | null;
  first_arrival_at?: string | null;
  closed_at?: string | null;
  /** Whole seconds from the server's now to the target; null once attended, closed or without a target. */
  time_to_target_seconds?: number | null;
  /** Whether the first arrival was within the target; null until someone arrives. */
  target_met?: boolean | null;
  overdue?: boolean;
  assigned_count: number;
  attending_count?: number;
  recommended_attendance: number;
  /** The recommended attendance is assigned: self-deployment now needs a reason. */
  resourced?: boolean;
  /** An open emergency-button incident. */
  emergency?: boolean;
}

export type AssignmentState =
  | 'assigned'
  | 'en_route'
  | 'at_scene'
  | 'left_scene'
  | 'cleared'
  | 'stood_down';

export interface Assignment {
  unit_id: string;
  call_sign: string;
  mode: 'dispatched' | 'self_deployed' | string;
  dispatched_by: string | null;
  state: AssignmentState | string;
  reason: string;
  after_advisory: boolean;
  assigned_at: string;
  en_route_at: string | null;
  at_scene_at: string | null;
  left_scene_at: string | null;
  cleared_at: string | null;
  stood_down_at: string | null;
}

export interface ThriveAssessment {
  version: number;
  at: string;
  author: string;
  threat: string;
  harm: string;
  risk: string;
  investigation: string;
  vulnerability: string;
  engagement: string;
  overall: 'low' | 'medium' | 'high' | string;
}

export interface LogEntry {
  at: string;
  author: string;
  text: string;
}

export interface TimelineEvent {
  seq: number;
  at: string;
  type: string;
  actor: { user_id: string; role: string };
  data: Record<string, unknown>;
}

/** One incident in full: GET /api/incidents/{id}, and the reply to every incident command. */
export interface IncidentDetail extends Incident {
  caller: { name: string; phone: string };
  thrive: ThriveAssessment[];
  log: LogEntry[];
  persons: string[];
  assignments: Assignment[];
  present_unassigned: string[];
  alerts: Alert[];
  result_code: string;
  summary: string;
  emergency_unit_id: string;
  parent_incident_id: string;
  /** GET only. */
  timeline?: TimelineEvent[];
  /** The create reply only: e.g. "no coordinates: the incident is unlocated…". */
  warnings?: string[];
  /** The stand-down reply only: how many units were stood down. */
  stood_down?: number;
}

export interface Recommendation {
  unit_id: string;
  call_sign: string;
  bcu: string;
  distance_m: number;
  eta_seconds: number;
  score_seconds: number;
  mental_health_trained: boolean;
  reasons: string[];
}

export interface Recommendations {
  incident_id: string;
  units: Recommendation[];
  why_none: string[];
}

/** details.advisory on the 422 (field "confirm") refusing a self-deployment to a resourced incident. */
export interface SelfDeployAdvisory {
  incident_id: string;
  reference: string;
  recommended: number;
  assigned: number;
  attending: number;
}

export interface UnitFix {
  lat: number;
  lon: number;
  fixed_at: string;
  /** Seconds between the fix and the server's now when the unit was read. */
  age_seconds?: number;
  accuracy_m: number;
}

export interface CrewMember {
  collar: string;
  name: string;
  rank: string;
  skills: string[];
}

export interface Unit {
  id: string;
  call_sign: string;
  /** The unit's BCU: a code, or {code,name}; null when not attached to a BCU. */
  bcu: string | CodeName | null;
  status: string;
  location: UnitFix | null;
  crew: CrewMember[];
  capabilities?: string[];
  mental_health_trained?: boolean;
  /** The incident the unit is working now; others it is assigned to are `stacked`. */
  active_incident?: string | null;
  stacked?: string[];
  /** The unit's assignment on its active incident ("assigned" until the crew says it is on its way). */
  assignment_state?: string | null;
  /** The unit's emergency button is pressed and not cancelled. */
  emergency?: boolean;
}

export interface SuggestedStandDown {
  unit_id: string;
  call_sign: string;
  distance_m: number;
}

export interface Alert {
  id: string;
  /** over_attendance, status_prompt, status_not_updated, unrecorded_attendance, and more to come. */
  type: string;
  incident_id: string | null;
  unit_ids: string[];
  message: string;
  raised_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  /** Who it is for: "control" (controllers and supervisors), "supervisor", "unit", … */
  audience?: string;
  /** Type-specific facts, e.g. suggested_stand_down on over_attendance. */
  data?: Record<string, unknown>;
}

export interface Board {
  seq: number;
  now: string;
  incidents: Incident[];
  units: Unit[];
  alerts: Alert[];
  /** Live s136/s135 detentions with their clocks (absent from older servers). */
  detentions?: BoardDetention[];
  /** Places of safety with live availability. */
  places_of_safety?: PlaceOfSafety[];
  /** Partners' referrals to the police not yet answered (counts only). */
  referrals_to_police?: { unanswered: number; overdue: number };
}

export interface Bcu {
  code: string;
  name: string;
  boroughs: CodeName[];
  population: number;
}

export interface Borough {
  code: string;
  name: string;
  bcu: string | null;
  force: string;
  centroid: { lat: number; lon: number };
}

export type Position = number[];

export interface BoundaryFeature {
  type: 'Feature';
  properties: { LAD21CD: string; LAD21NM: string };
  geometry:
    | { type: 'Polygon'; coordinates: Position[][] }
    | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
}

/** One message from the WebSocket stream at /api/stream. */
export type StreamMessage =
  | {
      type: 'event';
      seq: number;
      event_type: string;
      stream: string;
      at: string;
      data: unknown;
    }
  | { type: 'ready'; head: number }
  | { type: 'error'; error: ErrorBody };
