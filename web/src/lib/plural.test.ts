import { describe, expect, it } from 'vitest';
import { countOf } from './plural';

describe('a count in words', () => {
  it('is singular for exactly one, plural otherwise', () => {
    expect(countOf(1, 'alert')).toBe('1 alert');
    expect(countOf(0, 'alert')).toBe('0 alerts');
    expect(countOf(2, 'alert')).toBe('2 alerts');
  });
  it('takes an irregular plural', () => {
    expect(countOf(1, 'person', 'people')).toBe('1 person');
    expect(countOf(3, 'address', 'addresses')).toBe('3 addresses');
  });
});
