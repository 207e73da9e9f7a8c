// Mental Health Team API shapes (src/core/team_*.cpp views).

export interface DemandIncident {
  incident_id: string;
  received_at: string;
  bcu: string;
  officer_hours: number;
  reference?: string;
  type?: string;
  address?: string;
  status?: string;
}

export interface DemandSubject {
  contacts: number;
  officer_hours: number;
  window_days: number;
  triggered: Array<{ rule: string; window_days: number; threshold: number; count: number }>;
  counts: Record<string, number>;
  incidents: DemandIncident[];
}

export interface RepeatDemand {
  at: string;
  bcu: string | null;
  rules: Array<{ rule: string; subject: string; window_days: number; threshold: number }>;
  persons: Array<DemandSubject & { person_id: string; name?: string; date_of_birth?: string; address?: string; under_18?: boolean; flag_id: string | null }>;
  addresses: Array<DemandSubject & { address_key: string; postcode: string; flag_id: string | null }>;
  contacts_scanned: number;
}

export interface FlagSubject {
  type: 'person' | 'address' | string;
  person_id?: string;
  name?: string;
  address_key?: string;
}

export interface Flag {
  id: string;
  subject: FlagSubject;
  bcu: string;
  status: string;
  raised_at: string;
  reason: string;
  evidence: Partial<DemandSubject> | null;
  reviews: FlagReview[];
  /** The latest review's date (London, YYYY-MM-DD); null before any review. */
  review_date?: string | null;
  /** True once that date has come while the flag is open: a new review is due. */
  review_due?: boolean;
  expires_at: string | null;
  decision_reason?: string;
  case_id: string | null;
}

export interface FlagReview {
  at: string;
  by?: string;
  health_lead: string;
  health_organisation: string;
  lawful_basis: string;
  rationale: string;
  review_date: string;
  expires_at: string;
}

export interface HiuCase {
  id: string;
  flag_id: string;
  subject: FlagSubject;
  bcu: string;
  owner: { collar: string; name: string };
  sara?: { scanning: string; analysis: string; response: string; assessment: string };
  actions: Array<{ id: string; text: string; owner: string; due_on: string; status: string; overdue: boolean }>;
  opened_at: string;
  status: string;
  demand: {
    window_days: number;
    before: { contacts: number; officer_hours: number };
    after: { contacts: number; officer_hours: number };
  };
}

export interface Organisation {
  bcus: Array<{
    code: string;
    name: string;
    establishment: number;
    strength: number;
    vacancies: number;
    strength_percent: number;
    below_strength: boolean;
    has_liaison: boolean;
    functions_uncovered: string[];
    posts: TeamPost[];
  }>;
}

/** A post of a BCU's Mental Health Team (GET /api/team/organisation). */
export interface TeamPost {
  id: string;
  kind: 'sergeant' | 'liaison' | 'constable' | string;
  borough: { code: string; name: string } | null;
  holder: { collar: string; name: string; rank: string; function: string; since: string } | null;
  vacant: boolean;
  vacant_since: string | null;
  vacant_days: number | null;
  vacates_at: string | null;
}

export interface LiaisonMeeting {
  id: string;
  bcu: string;
  agency_id: string;
  agency_name: string;
  date: string;
  attendees: string[];
  minutes: string;
  actions: Array<{ id: string; text: string; owner: string; due: string; done_at: string | null; overdue: boolean }>;
}

export interface LearningRecommendation {
  id: string;
  source: string;
  reference: string;
  number: string;
  title: string;
  response: string;
  rationale: string;
  owner: string;
  due_on: string;
  status: string;
  actions: Array<{ text: string; owner: string; due_on: string; status: string; evidence?: string }>;
  evidence: string[];
  updated_at: string;
}
