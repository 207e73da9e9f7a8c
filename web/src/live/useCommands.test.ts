import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { detachedErrors, ErrorPlaces, errorMessage, readableMessage, readablePaths } from './useCommands';

describe('error messages for people', () => {
  it('reads API field paths as words', () => {
    expect(readableMessage('caller.name is longer than 200 characters')).toBe('Caller name is longer than 200 characters');
    expect(readableMessage('give person.date_of_birth, person.age, or person.appears_child')).toBe(
      'Give person date of birth, person age, or person appears child',
    );
    expect(readableMessage('suites_free (10) is more than suites_total (6)')).toBe('Suites free (10) is more than suites total (6)');
  });
  it('leaves ids, references, sections and abbreviations alone', () => {
    expect(readableMessage('no incident inc-12')).toBe('No incident inc-12');
    expect(readableMessage('s136 detention det-4 at CAD 1/28NOV26, e.g. the ED')).toBe('S136 detention det-4 at CAD 1/28NOV26, e.g. the ED');
  });
  it('keeps the case of a message that follows a prefix', () => {
    expect(readablePaths('site_id names the place of safety')).toBe('site id names the place of safety');
  });
  it('is what a refused command shows', () => {
    const err = new ApiError(400, { code: 'invalid_argument', message: 'location.lat must be between -90 and 90', field: 'location.lat' });
    expect(errorMessage(err)).toBe('Location lat must be between -90 and 90');
  });
});

describe('a refusal whose control has gone', () => {
  const conflict = new ApiError(409, { code: 'conflict', message: 'AW11 is already assigned to CAD 3/29NOV26' });
  const errors = { 'dispatch:unit-AW11': { message: errorMessage(conflict), what: 'Dispatch AW11' } };
  it('is left to the control while it is on screen', () => {
    const places = new ErrorPlaces();
    const release = places.claim('dispatch:unit-AW11');
    expect(detachedErrors(errors, places)).toEqual([]);
    release();
    release(); // a second release (React's strict effects) changes nothing
    expect(detachedErrors(errors, places)).toEqual([
      { key: 'dispatch:unit-AW11', message: 'AW11 is already assigned to CAD 3/29NOV26', what: 'Dispatch AW11' },
    ]);
  });
  it('is shown elsewhere only when every place that showed it has gone', () => {
    const places = new ErrorPlaces();
    const first = places.claim('dispatch:unit-AW11');
    const second = places.claim('dispatch:unit-AW11');
    first();
    expect(detachedErrors(errors, places)).toEqual([]);
    second();
    expect(detachedErrors(errors, places).map((e) => e.key)).toEqual(['dispatch:unit-AW11']);
  });
  it('keeps the server\'s words for a 409', () => {
    expect(errorMessage(new ApiError(409, { code: 'conflict', message: 'the handover was already accepted' }))).toBe('The handover was already accepted');
  });
});
