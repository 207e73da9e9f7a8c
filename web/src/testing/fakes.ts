// Test doubles for the injected clock and socket (used by *.test.ts only).

import type { SocketLike, Timers } from '../lib/stream';

export class FakeTimers implements Timers {
  private t: number;
  private nextId = 1;
  private queue: { id: number; at: number; fn: () => void }[] = [];

  constructor(start = Date.UTC(2025, 0, 4, 12, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((q) => q.id !== handle);
  }

  /** Delays of the timers now pending, soonest first. */
  pendingDelays(): number[] {
    return this.queue.map((q) => q.at - this.t).sort((a, b) => a - b);
  }

  /** Moves time on, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.queue.filter((q) => q.at <= end).sort((a, b) => a.at - b.at || a.id - b.id);
      if (due.length === 0) break;
      const next = due[0];
      this.queue = this.queue.filter((q) => q !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

export class FakeSocket implements SocketLike {
  readonly url: string;
  sent: unknown[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(url: string) {
    this.url = url;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closed = true;
  }

  // Server side of the fake.
  open(): void {
    this.onopen?.({});
  }

  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  event(seq: number, eventType = 'incident.created'): void {
    this.receive({
      type: 'event',
      seq,
      event_type: eventType,
      stream: `incident-${seq}`,
      at: '2025-01-04T12:00:00.000000Z',
      data: {},
    });
  }

  drop(): void {
    this.onerror?.({});
    this.onclose?.({});
  }
}
