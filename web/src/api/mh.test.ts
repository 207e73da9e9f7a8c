import { describe, expect, it } from 'vitest';
import type { PlaceOfSafety } from './mh';
import { availabilityText, freeNow } from './mh';

const site = (over: Partial<PlaceOfSafety>): PlaceOfSafety => ({
  id: 'pos-1',
  name: 'HBPoS',
  host_hospital: 'Maudsley',
  trust: 'SLaM',
  borough: 'Southwark',
  location: { lat: 51.47, lon: -0.09 },
  suites_total: 6,
  suites_free: 5,
  open: true,
  min_age: 0,
  max_age: 150,
  note: '',
  reported: true,
  updated_at: '2026-11-28T16:35:00Z',
  updated_by_agency: 'SLaM',
  detained_here: 2,
  ...over,
});

describe('place-of-safety availability', () => {
  it('counts the report less the arrivals since, and says so', () => {
    const s = site({ arrived_since_report: 2, suites_free_now: 3 });
    expect(freeNow(s)).toBe(3);
    expect(availabilityText(s)).toBe('3 of 6 free (5 reported, 2 arrived since)');
  });
  it('is the report alone when nobody arrived since, or from a server that does not say', () => {
    expect(availabilityText(site({ arrived_since_report: 0, suites_free_now: 5 }))).toBe('5 of 6 free');
    expect(freeNow(site({}))).toBe(5);
    expect(availabilityText(site({ open: false }))).toBe('closed');
  });
});
