import { describe, expect, it } from 'vitest';
import { lengthLeftText } from './LengthLeft';

describe('room left in a long text field', () => {
  it('says nothing until near the limit, then how much is left, then that the rest was not taken', () => {
    expect(lengthLeftText(100, 4000)).toBe('');
    expect(lengthLeftText(3700, 4000)).toBe('300 characters left of 4000.');
    expect(lengthLeftText(3999, 4000)).toBe('1 character left of 4000.');
    expect(lengthLeftText(4000, 4000)).toBe('The limit of 4000 characters is reached: anything longer was not taken.');
  });
});
