import { describe, expect, it } from 'vitest';
import { awaitsAcceptance, mayOfferAcceptance } from './AcceptHandover';

const base = {
  id: 'det-1',
  status: 'at_place_of_safety',
  place_of_safety: { kind: 'hbpos', site_id: 'pos-maudsley', site_name: 'Maudsley', arrived_at: '2026-11-28T10:00:00Z' },
  handover: { arrived_at: '2026-11-28T10:00:00Z', requested_at: null, accepted_at: null, accepted_by: '', officers_left_at: null },
} as unknown as Parameters<typeof awaitsAcceptance>[0];

describe('a handover awaiting health', () => {
  it('is one at a health-based place of safety, arrived, not yet accepted', () => {
    expect(awaitsAcceptance(base)).toBe(true);
    expect(awaitsAcceptance({ ...base, handover: { ...base.handover, accepted_at: '2026-11-28T10:20:00Z' } })).toBe(false);
    expect(awaitsAcceptance({ ...base, status: 'ended' })).toBe(false);
    expect(awaitsAcceptance({ ...base, place_of_safety: { ...base.place_of_safety!, arrived_at: null } })).toBe(false);
    expect(awaitsAcceptance({ ...base, place_of_safety: { ...base.place_of_safety!, kind: 'emergency_department' } })).toBe(false);
    expect(awaitsAcceptance({ ...base, place_of_safety: null })).toBe(false);
  });
});

describe('where the acceptance (or its refusal) is shown', () => {
  it('stays with the detention once the handover is accepted, so a refused acceptance can say why', () => {
    const accepted = { ...base, handover: { ...base.handover, accepted_at: '2026-11-28T10:20:00Z' } };
    expect(awaitsAcceptance(accepted)).toBe(false);
    expect(mayOfferAcceptance(accepted)).toBe(true);
    expect(mayOfferAcceptance({ ...base, place_of_safety: { ...base.place_of_safety!, kind: 'emergency_department' } })).toBe(false);
    expect(mayOfferAcceptance({ ...base, place_of_safety: null })).toBe(false);
  });
});
