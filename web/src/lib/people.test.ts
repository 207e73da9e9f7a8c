import { describe, expect, it } from 'vitest';
import { PeopleCache, authorLabel, personLabel } from './people';
import type { Person } from './people';

const person = (id: string, name: string, collar = ''): Person => ({ id, name, role: 'controller', collar, agency_id: 'mps', agency_name: '' });

describe('personLabel', () => {
  it('gives the collar number after the name when there is one', () => {
    expect(personLabel(person('user-a', 'Sam Patel', 'AW1234'))).toBe('Sam Patel (AW1234)');
    expect(personLabel(person('user-b', 'Jo Reed'))).toBe('Jo Reed');
  });
});

describe('authorLabel', () => {
  it('names the author once known, says System for the engine, and shows the id meanwhile', () => {
    expect(authorLabel('user-a', person('user-a', 'Sam Patel', 'AW1234'))).toBe('Sam Patel (AW1234)');
    expect(authorLabel('user-a', undefined)).toBe('user-a');
    expect(authorLabel('user-gone', null)).toBe('user-gone');
    expect(authorLabel('system', undefined)).toBe('System');
    expect(authorLabel('seed', undefined)).toBe('Demo seed');
  });
});

describe('PeopleCache', () => {
  it('asks once for the ids it does not know, 200 at a time, never for the engine or the seed', async () => {
    const asked: string[][] = [];
    const cache = new PeopleCache(async (ids) => {
      asked.push(ids);
      return ids.filter((id) => id !== 'user-gone').map((id) => person(id, id.toUpperCase()));
    });
    const ids = Array.from({ length: 250 }, (_, i) => `user-${i}`);
    await cache.want([...ids, 'system', 'seed', 'user-0', 'user-gone']);
    expect(asked.map((a) => a.length)).toEqual([200, 51]);
    expect(asked.flat()).not.toContain('system');
    expect(asked.flat()).not.toContain('seed');
    expect(cache.get('user-7')?.name).toBe('USER-7');
    expect(cache.get('user-gone')).toBeNull(); // asked, and nobody has that id
    expect(cache.get('system')).toBeUndefined();
    await cache.want(['user-7', 'user-gone']);
    expect(asked).toHaveLength(2); // known or known-unknown: not asked again
  });

  it('forgets nothing on a failed request and asks again next time, telling listeners once it knows', async () => {
    let fail = true;
    let told = 0;
    const cache = new PeopleCache(async (ids) => {
      if (fail) throw new Error('offline');
      return ids.map((id) => person(id, 'Jo Reed'));
    });
    cache.subscribe(() => told++);
    await cache.want(['user-jo']);
    expect(cache.get('user-jo')).toBeUndefined();
    expect(told).toBe(0);
    fail = false;
    await cache.want(['user-jo']);
    expect(cache.get('user-jo')?.name).toBe('Jo Reed');
    expect(told).toBe(1);
  });
});
