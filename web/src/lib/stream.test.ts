import { beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket, FakeTimers } from '../testing/fakes';
import { StreamClient, backoffDelay, streamUrl } from './stream';
import type { StreamEvent, StreamStatus } from './stream';

interface Rig {
  client: StreamClient;
  timers: FakeTimers;
  sockets: FakeSocket[];
  events: StreamEvent[];
  statuses: StreamStatus[];
  unauthenticated: number;
  last(): FakeSocket;
}

function rig(since = 10, token: string | null = 'tok-1'): Rig {
  const timers = new FakeTimers();
  const r: Rig = {
    timers,
    sockets: [],
    events: [],
    statuses: [],
    unauthenticated: 0,
    last: () => r.sockets[r.sockets.length - 1],
    client: null as unknown as StreamClient,
  };
  r.client = new StreamClient({
    url: 'ws://example.test/api/stream',
    getToken: () => token,
    since,
    timers,
    random: () => 0.5, // no jitter: delays are exactly base * 2^n
    baseDelayMs: 500,
    maxDelayMs: 8000,
    catchUpSilenceMs: 20000,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      r.sockets.push(s);
      return s;
    },
    onEvent: (e) => r.events.push(e),
    onStatus: (s) => r.statuses.push(s),
    onUnauthenticated: () => r.unauthenticated++,
  });
  return r;
}

const status = (r: Rig) => r.statuses[r.statuses.length - 1];

describe('StreamClient', () => {
  let r: Rig;
  beforeEach(() => {
    r = rig();
    r.client.start();
  });

  it('says hello with the token and the board seq, then goes live on ready', () => {
    r.last().open();
    expect(r.last().url).toBe('ws://example.test/api/stream');
    expect(r.last().sent).toEqual([{ type: 'hello', token: 'tok-1', since: 10 }]);
    r.last().event(11);
    r.last().receive({ type: 'ready', head: 11 });
    expect(r.events.map((e) => e.seq)).toEqual([11]);
    expect(status(r)).toEqual({ kind: 'live', reconnectedAt: null, missed: 0 });
  });

  it('drops events it has already seen', () => {
    r.last().open();
    r.last().event(9);
    r.last().event(10);
    r.last().event(12);
    r.last().event(12);
    r.last().event(11);
    expect(r.events.map((e) => e.seq)).toEqual([12]);
  });

  it('resumes after a drop from the last seq seen and counts the events it missed', () => {
    r.last().open();
    r.last().receive({ type: 'ready', head: 10 });
    r.last().event(11);
    r.last().event(12);
    const t0 = r.timers.now();
    r.last().drop();

    expect(status(r)).toMatchObject({ kind: 'offline', since: t0, nextAttemptAt: t0 + 500 });
    expect(r.sockets).toHaveLength(1);
    r.timers.advance(499);
    expect(r.sockets).toHaveLength(1);
    r.timers.advance(1);
    expect(r.sockets).toHaveLength(2);

    r.last().open();
    expect(r.last().sent).toEqual([{ type: 'hello', token: 'tok-1', since: 12 }]);
    r.last().event(12); // a server that replays one too many: not applied twice
    r.last().event(13);
    r.last().event(15);
    r.last().event(16);
    expect(status(r).kind).toBe('offline'); // not live until caught up
    r.last().receive({ type: 'ready', head: 16 });

    expect(r.events.map((e) => e.seq)).toEqual([11, 12, 13, 15, 16]);
    expect(status(r)).toEqual({ kind: 'live', reconnectedAt: r.timers.now(), missed: 3 });
  });

  it('keeps the time it went offline through failed attempts, backing off', () => {
    r.last().open();
    r.last().receive({ type: 'ready', head: 10 });
    const t0 = r.timers.now();
    r.last().drop();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(r.timers.pendingDelays()[0]);
      r.timers.advance(delays[i]);
      r.last().drop(); // the attempt fails before it opens
      expect(status(r)).toMatchObject({ kind: 'offline', since: t0 });
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000]);

    r.timers.advance(r.timers.pendingDelays()[0]);
    r.last().open();
    r.last().receive({ type: 'ready', head: 10 });
    expect(status(r)).toMatchObject({ kind: 'live', missed: 0 });
    r.last().drop();
    expect(r.timers.pendingDelays()[0]).toBe(500); // backoff starts again after success
  });

  it('resumes from the head the server reports, not only from events', () => {
    r.last().open();
    r.last().receive({ type: 'ready', head: 40 });
    r.last().drop();
    r.timers.advance(500);
    r.last().open();
    expect(r.last().sent).toEqual([{ type: 'hello', token: 'tok-1', since: 40 }]);
  });

  it('returns to sign-in on an unauthenticated error and does not reconnect', () => {
    r.last().open();
    r.last().receive({ type: 'error', error: { code: 'unauthenticated', message: 'expired' } });
    expect(r.unauthenticated).toBe(1);
    expect(status(r).kind).toBe('stopped');
    expect(r.last().closed).toBe(true);
    r.timers.advance(60000);
    expect(r.sockets).toHaveLength(1);
  });

  it('reconnects after any other error', () => {
    r.last().open();
    r.last().receive({ type: 'error', error: { code: 'unavailable', message: 'shutting down' } });
    expect(status(r).kind).toBe('offline');
    r.timers.advance(500);
    expect(r.sockets).toHaveLength(2);
  });

  it('gives up on a connection that never catches up and tries again', () => {
    r.last().open();
    r.timers.advance(20000);
    expect(r.sockets[0].closed).toBe(true);
    expect(status(r).kind).toBe('offline');
    r.timers.advance(500);
    expect(r.sockets).toHaveLength(2);
  });

  it('does not reconnect after stop()', () => {
    r.last().open();
    r.client.stop();
    r.timers.advance(60000);
    expect(r.sockets).toHaveLength(1);
    expect(status(r).kind).toBe('stopped');
  });

  it('reconnects at once when asked while offline', () => {
    r.last().open();
    r.last().receive({ type: 'ready', head: 10 });
    r.last().drop();
    r.client.reconnectNow();
    expect(r.sockets).toHaveLength(2);
  });

  it('ignores messages from a socket it has replaced', () => {
    const first = r.last();
    first.open();
    first.receive({ type: 'ready', head: 10 });
    first.drop();
    r.timers.advance(500);
    first.event(99);
    expect(r.events).toEqual([]);
  });
});

describe('StreamClient without a token', () => {
  it('asks for sign-in instead of connecting', () => {
    const r = rig(0, null);
    r.client.start();
    expect(r.sockets).toHaveLength(0);
    expect(r.unauthenticated).toBe(1);
  });
});

describe('helpers', () => {
  it('jitters the backoff by a quarter either way and caps it', () => {
    expect(backoffDelay(0, 500, 15000, 0)).toBe(375);
    expect(backoffDelay(0, 500, 15000, 1)).toBe(625);
    expect(backoffDelay(10, 500, 15000, 1)).toBe(15000);
  });
  it('uses wss for https pages', () => {
    expect(streamUrl({ protocol: 'https:', host: 'cad.example' })).toBe('wss://cad.example/api/stream');
    expect(streamUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/stream');
  });
});
