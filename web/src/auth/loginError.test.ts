import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { asSentence, describeLoginError } from './loginError';

describe('describeLoginError', () => {
  it('shows the server message for bad credentials, as a sentence', () => {
    const err = new ApiError(401, { code: 'unauthenticated', message: 'unknown user or wrong password' });
    expect(describeLoginError(err)).toEqual({ message: 'Unknown user or wrong password.' });
  });
  it('shows the server message when throttled', () => {
    const err = new ApiError(429, {
      code: 'resource_exhausted',
      message: 'too many failed sign-ins for this account; wait 15 minutes or ask an administrator',
    });
    expect(describeLoginError(err).message).toBe(
      'Too many failed sign-ins for this account; wait 15 minutes or ask an administrator.',
    );
  });
  it('does not say how long twice when the message already says it', () => {
    const err = new ApiError(
      429,
      { code: 'resource_exhausted', message: 'too many failed sign-ins for this account; try again in 15 minutes or ask an administrator to unlock it' },
      900,
    );
    expect(describeLoginError(err).message).toBe(
      'Too many failed sign-ins for this account; try again in 15 minutes or ask an administrator to unlock it.',
    );
  });
  it('adds how long to wait when the server sends Retry-After', () => {
    const err = new ApiError(429, { code: 'resource_exhausted', message: 'too many attempts' }, 90);
    expect(describeLoginError(err).message).toBe('Too many attempts. Try again in 2 minutes.');
  });
  it('says one second or one minute in the singular', () => {
    expect(describeLoginError(new ApiError(429, { code: 'resource_exhausted', message: 'too many attempts' }, 1)).message).toBe('Too many attempts. Try again in 1 second.');
    expect(describeLoginError(new ApiError(429, { code: 'resource_exhausted', message: 'too many attempts' }, 30)).message).toBe('Too many attempts. Try again in 30 seconds.');
    expect(describeLoginError(new ApiError(429, { code: 'resource_exhausted', message: 'too many attempts' }, 60)).message).toBe('Too many attempts. Try again in 1 minute.');
  });
  it('has its own words for a 429 without the error shape', () => {
    const err = new ApiError(429, { code: 'resource_exhausted', message: 'The server answered HTTP 429.' });
    expect(describeLoginError(err).message).toBe(
      'Too many sign-in attempts. Wait a few minutes before trying again.',
    );
  });
  it('points at the field the server names', () => {
    const err = new ApiError(400, { code: 'invalid_argument', message: 'username is required', field: 'username' });
    expect(describeLoginError(err)).toEqual({ message: 'Username is required.', field: 'username' });
  });
  it('makes sentences', () => {
    expect(asSentence('done!')).toBe('Done!');
    expect(asSentence('')).toBe('');
  });
});
