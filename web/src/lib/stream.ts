// Client for the event stream at /api/stream.
//
// Protocol: on open the client sends {"type":"hello","token","since"}; the
// server replays every visible event after `since`, sends {"type":"ready",
// "head"} once caught up, then live events. On any disconnect the client
// reconnects with exponential backoff and jitter and says hello with the last
// seq it saw, so nothing is missed or applied twice (events at or below that
// seq are dropped if they come again).
//
// The socket, timers and randomness are injected so the resume logic is tested
// with a fake socket and a fake clock (see stream.test.ts).

import type { ErrorBody, StreamMessage } from '../api/types';

export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type StreamStatus =
  | { kind: 'connecting' }
  /** Caught up and receiving live events. `reconnectedAt` is set after an outage. */
  | { kind: 'live'; reconnectedAt: number | null; missed: number }
  /** Lost since `since`; stays so through reconnect attempts until caught up. */
  | { kind: 'offline'; since: number; nextAttemptAt: number | null }
  | { kind: 'stopped'; error?: ErrorBody };

export interface StreamEvent {
  seq: number;
  event_type: string;
  stream: string;
  at: string;
  data: unknown;
}

export interface StreamClientOptions {
  url: string;
  getToken: () => string | null;
  /** Seq the caller already has (the board's seq): replay starts after it. */
  since: number;
  createSocket: (url: string) => SocketLike;
  onEvent: (event: StreamEvent) => void;
  onStatus: (status: StreamStatus) => void;
  onUnauthenticated: () => void;
  timers?: Timers;
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Reconnect if the server says nothing for this long before "ready". */
  catchUpSilenceMs?: number;
}

/** Delay before reconnect attempt `attempt` (0-based): doubling, jittered ±25 %, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.min(maxMs, Math.round(raw * (0.75 + 0.5 * random)));
}

export class StreamClient {
  private readonly o: StreamClientOptions;
  private readonly timers: Timers;
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private silenceTimer: unknown = null;
  private attempt = 0;
  private seq: number;
  private status: StreamStatus = { kind: 'connecting' };
  private everLive = false;
  private offlineSince: number | null = null;
  private missed = 0;
  private stopped = false;

  constructor(options: StreamClientOptions) {
    this.o = options;
    this.timers = options.timers ?? realTimers;
    this.seq = options.since;
  }

  /** The highest seq seen: what the next hello sends as `since`. */
  get lastSeq(): number {
    return this.seq;
  }

  get currentStatus(): StreamStatus {
    return this.status;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.dropSocket();
    this.setStatus({ kind: 'stopped' });
  }

  /** Try now instead of waiting out the backoff (the browser came back online). */
  reconnectNow(): void {
    if (this.stopped || this.status.kind !== 'offline' || this.socket) return;
    this.clearTimers();
    this.connect();
  }

  private connect(): void {
    const token = this.o.getToken();
    if (!token) {
      this.stop();
      this.o.onUnauthenticated();
      return;
    }
    const sock = this.o.createSocket(this.o.url);
    this.socket = sock;
    this.missed = 0;
    this.armSilenceTimer(); // also bounds a connect that never opens
    sock.onopen = () => {
      if (sock !== this.socket) return;
      sock.send(JSON.stringify({ type: 'hello', token, since: this.seq }));
      this.armSilenceTimer();
    };
    sock.onmessage = (ev) => {
      if (sock === this.socket) this.handleMessage(ev.data);
    };
    sock.onerror = () => {
      // A close always follows an error; the close handler reconnects.
    };
    sock.onclose = () => {
      if (sock === this.socket) this.lost();
    };
  }

  private handleMessage(raw: unknown): void {
    let msg: StreamMessage;
    try {
      msg = JSON.parse(String(raw)) as StreamMessage;
    } catch {
      return; // Not JSON: ignore rather than drop a healthy connection.
    }
    if (this.status.kind !== 'live') this.armSilenceTimer();
    switch (msg.type) {
      case 'event': {
        if (typeof msg.seq !== 'number' || msg.seq <= this.seq) return; // already seen
        this.seq = msg.seq;
        if (this.status.kind === 'offline') this.missed++;
        this.o.onEvent({
          seq: msg.seq,
          event_type: msg.event_type,
          stream: msg.stream,
          at: msg.at,
          data: msg.data,
        });
        return;
      }
      case 'ready': {
        if (typeof msg.head === 'number' && msg.head > this.seq) this.seq = msg.head;
        this.clearTimers();
        this.attempt = 0;
        const reconnected = this.everLive && this.offlineSince !== null;
        this.everLive = true;
        this.offlineSince = null;
        this.setStatus({
          kind: 'live',
          reconnectedAt: reconnected ? this.timers.now() : null,
          missed: reconnected ? this.missed : 0,
        });
        return;
      }
      case 'error': {
        if (msg.error?.code === 'unauthenticated') {
          this.stopped = true;
          this.clearTimers();
          this.dropSocket();
          this.setStatus({ kind: 'stopped', error: msg.error });
          this.o.onUnauthenticated();
          return;
        }
        this.lost();
        return;
      }
    }
  }

  /** The connection is gone (closed, errored, or silent): go offline and retry. */
  private lost(): void {
    this.dropSocket();
    this.clearTimers();
    if (this.stopped) return;
    if (this.offlineSince === null) this.offlineSince = this.timers.now();
    const delay = backoffDelay(
      this.attempt++,
      this.o.baseDelayMs ?? 500,
      this.o.maxDelayMs ?? 15000,
      (this.o.random ?? Math.random)(),
    );
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.setStatus({
      kind: 'offline',
      since: this.offlineSince,
      nextAttemptAt: this.timers.now() + delay,
    });
  }

  private armSilenceTimer(): void {
    if (this.silenceTimer !== null) this.timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.timers.setTimeout(() => {
      this.silenceTimer = null;
      this.lost();
    }, this.o.catchUpSilenceMs ?? 20000);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    if (this.silenceTimer !== null) this.timers.clearTimeout(this.silenceTimer);
    this.retryTimer = null;
    this.silenceTimer = null;
  }

  private dropSocket(): void {
    const sock = this.socket;
    this.socket = null;
    if (!sock) return;
    sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
    try {
      sock.close();
    } catch {
      // Closing a socket that never opened may throw; it is gone either way.
    }
  }

  private setStatus(status: StreamStatus): void {
    this.status = status;
    this.o.onStatus(status);
  }
}

/** ws:// or wss:// for the page's own origin. */
export function streamUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/stream`;
}
