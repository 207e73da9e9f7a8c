// How much room a long text field has left, shown only near its limit (the field stops at the
// server's length, so a pasted statement would otherwise be cut short without a word).

import { countOf } from '../lib/plural';

export function lengthLeftText(length: number, max: number): string {
  if (length < max * 0.9) return '';
  return length >= max ? `The limit of ${max} characters is reached: anything longer was not taken.` : `${countOf(max - length, 'character')} left of ${max}.`;
}

export function LengthLeft({ id, length, max }: { id: string; length: number; max: number }) {
  const text = lengthLeftText(length, max);
  return (
    <p id={id} className={`small${length >= max ? ' warn-text' : ' muted'}`} aria-live="polite">
      {text}
    </p>
  );
}
