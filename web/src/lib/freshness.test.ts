import { describe, expect, it } from 'vitest';
import { freshness } from './freshness';

const t = Date.parse('2025-07-04T13:14:15Z'); // 14:14:15 BST

describe('freshness', () => {
  it('says Live when caught up', () => {
    expect(freshness({ kind: 'live', reconnectedAt: null, missed: 0 }, t)).toEqual({ tone: 'live', text: 'Live' });
  });
  it('says since when it went offline, in London time', () => {
    expect(freshness({ kind: 'offline', since: t, nextAttemptAt: t + 500 }, t + 5000).text).toBe(
      'Offline since 14:14:15 — reconnecting',
    );
  });
  it('shows the offline time on the server clock when the clocks differ', () => {
    expect(freshness({ kind: 'offline', since: t, nextAttemptAt: null }, t, 2000).text).toBe(
      'Offline since 14:14:17 — reconnecting',
    );
  });
  it('reports what it caught up after a reconnect, then settles to Live', () => {
    const s = { kind: 'live' as const, reconnectedAt: t, missed: 3 };
    expect(freshness(s, t + 1000).text).toBe('Reconnected — caught up 3 events missed while offline');
    expect(freshness({ ...s, missed: 1 }, t).text).toBe('Reconnected — caught up 1 event missed while offline');
    expect(freshness(s, t + 31_000).text).toBe('Live');
  });
});
