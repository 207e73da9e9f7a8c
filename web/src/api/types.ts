// Shapes of the Concordat HTTP API as the web app uses them. They mirror the
// server contract; fields the app does not read are left out or loosely typed.

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
}

export interface Health {
  status: string;
  version: string;
  log_seq: number;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface IncidentLocation {
  lat: number;
  lon: number;
  address: string;
  type: string;
}

export interface Incident {
  id: string;
  reference: string;
  grade: string;
  type: string;
  flags: string[];
  status: string;
  description: string;
  location: IncidentLocation;
  borough: CodeName | null;
  bcu: CodeName | null;
  created_at: string;
  target_at: string | null;
  assigned_count: number;
  recommended_attendance: number;
}

export interface UnitFix {
  lat: number;
  lon: number;
  fixed_at: string;
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
}

export interface Alert {
  id: string;
  type: string;
  incident_id: string | null;
  unit_ids: string[];
  message: string;
  raised_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface Board {
  seq: number;
  now: string;
  incidents: Incident[];
  units: Unit[];
  alerts: Alert[];
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
