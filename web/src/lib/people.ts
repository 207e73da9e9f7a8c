// Who a user id is: the names the control room reads on log entries and
// timelines instead of ids. GET /api/people answers for up to 200 ids at a
// time (police roles only); answers are kept for the page's life, since a
// name once written on a log entry is what it is.

import { useEffect, useState } from 'react';

export interface Person {
  id: string;
  name: string;
  role: string;
  collar: string;
  agency_id: string;
  agency_name: string;
}

/** "Sam Patel (AW1234)", or the name alone without a collar number. */
export function personLabel(p: Pick<Person, 'name' | 'collar'>): string {
  return p.collar ? `${p.name} (${p.collar})` : p.name;
}

/** The author by name once known; the engine's entries as "System"; otherwise the id. */
export function authorLabel(id: string, person: Person | null | undefined): string {
  if (id === 'system') return 'System';
  if (id === 'seed') return 'Demo seed';
  return person ? personLabel(person) : id;
}

/** Ids that name no account: the engine's own, the demo seed's. */
export function isNamedByNoAccount(id: string): boolean {
  return id === '' || id === 'system' || id === 'seed';
}

type Fetch = (ids: string[]) => Promise<Person[]>;

/**
 * A cache of people by id. `want` asks for ids not yet known (200 at a time);
 * an id the server does not know is remembered as unknown, so it is not asked
 * for again. A failed request forgets nothing and asks again next time.
 */
export class PeopleCache {
  private readonly known = new Map<string, Person | null>();
  private readonly asking = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly fetchPeople: Fetch) {}

  get(id: string): Person | null | undefined {
    return this.known.get(id);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async want(ids: string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !isNamedByNoAccount(id) && !this.known.has(id) && !this.asking.has(id));
    for (let i = 0; i < missing.length; i += 200) {
      const chunk = missing.slice(i, i + 200);
      chunk.forEach((id) => this.asking.add(id));
      try {
        const people = await this.fetchPeople(chunk);
        const byId = new Map(people.map((p) => [p.id, p]));
        chunk.forEach((id) => this.known.set(id, byId.get(id) ?? null));
        this.listeners.forEach((l) => l());
      } catch {
        // Names are a courtesy: the ids stay on screen and are asked for again later.
      } finally {
        chunk.forEach((id) => this.asking.delete(id));
      }
    }
  }
}

let shared: PeopleCache | null = null;

/** The page's cache, made on first use with the API client. */
export function sharedPeople(make: () => PeopleCache): PeopleCache {
  if (!shared) shared = make();
  return shared;
}

/** Re-renders when any of `ids` becomes known; returns the lookup. */
export function usePeople(cache: PeopleCache | null, ids: string[]): (id: string) => Person | null | undefined {
  const [, setVersion] = useState(0);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    if (!cache) return undefined;
    const stop = cache.subscribe(() => setVersion((v) => v + 1));
    void cache.want(key ? key.split(',') : []);
    return stop;
  }, [cache, key]);
  return (id: string) => cache?.get(id);
}
