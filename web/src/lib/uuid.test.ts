import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from './uuid';

const kShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function fixed(byte: number) {
  return (b: Uint8Array) => b.fill(byte);
}

describe('timeOrderedUuid', () => {
  it('starts with the time in milliseconds, then version 7 and the RFC variant', () => {
    const ms = Date.UTC(2026, 10, 29, 6, 0, 0, 123);
    const u = timeOrderedUuid(() => ms, fixed(0));
    expect(u).toMatch(kShape);
    const hex = u.replace(/-/g, '');
    expect(parseInt(hex.slice(0, 12), 16)).toBe(ms);
    expect(hex[12]).toBe('7');
    expect(u.slice(19, 20)).toBe('8');
  });

  it('sorts by time as text, whatever the random bits', () => {
    const earlier = timeOrderedUuid(() => 1_000_000, fixed(0xff));
    const later = timeOrderedUuid(() => 1_000_001, fixed(0x00));
    expect(earlier < later).toBe(true);
  });

  it('keeps random bits: two keys in one millisecond differ', () => {
    const a = timeOrderedUuid(() => 5);
    const b = timeOrderedUuid(() => 5);
    expect(a).not.toBe(b);
    expect(a.slice(0, 13)).toBe(b.slice(0, 13));
  });
});
