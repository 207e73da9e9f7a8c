// Names for user ids, from the page's one cache (lib/people.ts). Roles that
// may not read people (partners) get ids as they are.

import { api } from '../api/instance';
import { can } from '../lib/roles';
import { PeopleCache, sharedPeople, usePeople } from '../lib/people';
import type { Person } from '../lib/people';

function cacheFor(role: string): PeopleCache | null {
  if (!can(role, 'people.read')) return null;
  return sharedPeople(
    () => new PeopleCache(async (ids) => (await api.get<{ people: Person[] }>(`/api/people?ids=${ids.map(encodeURIComponent).join(',')}`)).people),
  );
}

export function usePeopleFor(role: string, ids: string[]): (id: string) => Person | null | undefined {
  return usePeople(cacheFor(role), ids);
}
