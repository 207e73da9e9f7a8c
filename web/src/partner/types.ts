// Partner API shapes (src/core/partners_views.cpp).

import type { Detention } from '../api/mh';

export interface Referral {
  id: string;
  incident: { id: string; reference: string } | null;
  direction: 'to_partner' | 'to_police' | string;
  from_agency: string;
  agency_id: string;
  type: string;
  note: string;
  state: 'sent' | 'acknowledged' | 'accepted' | 'declined' | 'completed' | string;
  sent_at: string;
  due_at: string;
  overdue: boolean;
  acknowledged_at: string | null;
  accepted_at: string | null;
  declined_at: string | null;
  decline_reason: string;
  completed_at: string | null;
  outcome: string;
}

export interface Agreement {
  id: string;
  agency_id: string;
  categories: string[];
  lawful_basis: { regime: string; condition: string };
  purpose: string;
  start: string;
  end: string;
  review_date: string;
  review_overdue: boolean;
  revoked_at: string | null;
  active: boolean;
}

/** An incident as a partner sees it: only the categories the agreement covers are present. */
export interface SharedIncident {
  id: string;
  categories: string[];
  reference?: string;
  received_at?: string;
  type?: string;
  grade?: string;
  grade_name?: string;
  status?: string;
  description?: string;
  location?: { lat: number | null; lon: number | null; address: string; type: string };
  borough?: { code: string; name: string } | null;
  flags?: string[];
  caller?: { name: string; phone: string };
  persons?: string[];
  thrive?: Array<{ version: number; at: string; vulnerability: string; harm: string; overall: string }>;
  /** With the detention_record category: the s135/s136 records, without police-internal detail. */
  detentions?: Array<Pick<Detention, 'id' | 'power' | 'status' | 'place_of_safety' | 'clock' | 'handover' | 'outcome'>>;
  referrals: Referral[];
}
