// What the sign-in screen says when sign-in fails. The server's messages are
// lower-case phrases ("unknown user or wrong password"); the screen shows them
// as sentences.

import { ApiError } from '../api/client';
import { countOf } from '../lib/plural';

export interface LoginProblem {
  message: string;
  field?: 'username' | 'password';
}

function waitText(seconds: number): string {
  if (seconds < 60) return countOf(Math.max(1, Math.ceil(seconds)), 'second');
  return countOf(Math.ceil(seconds / 60), 'minute');
}

/** "Unknown user or wrong password." for "unknown user or wrong password". */
export function asSentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const s = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

const isGeneric = (err: ApiError) => /^The server answered HTTP \d+\.$/.test(err.message);

export function describeLoginError(err: unknown): LoginProblem {
  if (!(err instanceof ApiError)) {
    return { message: 'Sign-in failed because of an error in the app. Reload and try again.' };
  }
  if (err.status === 429 || err.code === 'resource_exhausted') {
    const base =
      err.message && !isGeneric(err) ? asSentence(err.message) : 'Too many sign-in attempts.';
    // The server's own message may already say how long (it does since the lock moved into the
    // accounts store); then Retry-After is not said twice.
    if (err.retryAfterSeconds !== undefined && !/try again in/i.test(base)) {
      return { message: `${base} Try again in ${waitText(err.retryAfterSeconds)}.` };
    }
    return { message: isGeneric(err) ? `${base} Wait a few minutes before trying again.` : base };
  }
  const field = err.field === 'username' || err.field === 'password' ? err.field : undefined;
  const message = asSentence(err.message || 'Sign-in failed');
  return field ? { message, field } : { message };
}
