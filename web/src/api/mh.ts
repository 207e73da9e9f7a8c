// The mental-health pathway's API shapes (src/core/mh_views.cpp, mh_records.cpp).

import type { Alert } from './types';

export interface PlaceVisit {
  kind: 'hbpos' | 'emergency_department' | 'police_station' | 'other' | string;
  site_id: string;
  site_name: string;
  other_type: string;
  chosen_at: string;
  arrived_at: string | null;
  left_at: string | null;
  transfer: boolean;
  conditions: Record<string, unknown>;
}

export interface Conveyance {
  mode: string;
  ambulance_requested_at: string | null;
  ambulance_eta: string | null;
  departed_at: string | null;
  police_vehicle_reason: string;
  reason_detail: string;
  recorded_at: string;
}

export interface DetentionClock {
  started_at: string | null;
  expires_at: string | null;
  extended_until: string | null;
  basis: string | null;
  ends_at: string | null;
  remaining_seconds: number | null;
  expired: boolean;
}

export interface Detention {
  id: string;
  incident_id: string;
  incident_reference: string;
  power: 's136' | 's135' | string;
  status: 'detained' | 'at_place_of_safety' | 'ended' | string;
  decided_at: string;
  decided_by: string;
  officer_collar: string;
  location_type: string;
  grounds: Record<string, string>;
  consultation: Record<string, string>;
  warrant: Record<string, string>;
  person: {
    date_of_birth: string | null;
    age: number | null;
    appears_child: boolean;
    treated_as_child: boolean;
    sex: string;
    ethnicity: string;
    person_id: string;
  };
  kept_at_location: boolean;
  entered_at: string | null;
  searches: Array<Record<string, unknown>>;
  place_of_safety: PlaceVisit | null;
  places: PlaceVisit[];
  conveyances: Conveyance[];
  clock: DetentionClock;
  extension: Record<string, unknown> | null;
  police_station: {
    welfare_due: string | null;
    review_due: string | null;
    checks: Array<Record<string, unknown>>;
  };
  handover: {
    arrived_at: string | null;
    requested_at: string | null;
    accepted_at: string | null;
    accepted_by: string;
    officers_left_at: string | null;
    waited_minutes: number | null;
    alert_at: string | null;
    escalations: Array<Record<string, unknown>>;
  };
  outcome: { outcome: string; end_reason: string; notes: string; ended_at: string | null } | null;
  alerts: Alert[];
  warnings?: string[];
  suggested_places_of_safety?: {
    sites: Array<{ site_id: string; name: string; distance_m: number; travel_minutes: number; suites_free: number }>;
    why_none: string[];
  } | null;
  timeline?: Array<{ seq: number; at: string; type: string; actor: { user_id: string; role: string }; data: Record<string, unknown> }>;
}

export interface DecisionRecord {
  id: string;
  kind: 'ndm' | 'capacity' | 'restraint' | 'use_of_force' | string;
  detention_id: string;
  at: string;
  author: string;
  data: Record<string, unknown>;
}

export interface IncidentMentalHealth {
  incident_id: string;
  triage: Array<Record<string, unknown>>;
  detentions: Detention[];
  records: DecisionRecord[];
}

export interface PlaceOfSafety {
  id: string;
  name: string;
  host_hospital: string;
  trust: string;
  borough: string;
  location: { lat: number; lon: number };
  suites_total: number;
  suites_free: number;
  open: boolean;
  min_age: number;
  max_age: number;
  note: string;
  reported: boolean;
  updated_at: string | null;
  updated_by_agency: string;
  detained_here: number;
  /** People who arrived after the last report and are still there: each took a suite it counted. */
  arrived_since_report?: number;
  /** The report less those arrivals: what an officer can count on until the trust reports again. */
  suites_free_now?: number;
}

/** Suites free now (the report less arrivals since; the report alone from an older server). */
export function freeNow(p: Pick<PlaceOfSafety, 'suites_free' | 'suites_free_now'>): number {
  return p.suites_free_now ?? p.suites_free;
}

/** "3 of 6 free", with the report behind it when arrivals since have taken some. */
export function availabilityText(p: PlaceOfSafety): string {
  if (!p.open) return 'closed';
  const arrived = p.arrived_since_report ?? 0;
  const text = `${freeNow(p)} of ${p.suites_total} free`;
  return arrived > 0 ? `${text} (${p.suites_free} reported, ${arrived} arrived since)` : text;
}

/** A live detention as the board lists it (src/core/mh_views.cpp BoardDetentionsJson). */
export interface BoardDetention {
  id: string;
  incident_id: string;
  incident_reference: string;
  power: string;
  status: string;
  place: { kind: string; site_id: string; site_name: string; arrived: boolean } | null;
  clock: { started_at: string | null; expires_at: string | null; extended_until: string | null; remaining_seconds: number | null; expired: boolean };
  handover: { arrived_at: string | null; accepted_at: string | null; officers_left_at: string | null };
  welfare_due: string | null;
}
