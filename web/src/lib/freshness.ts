// The words of the board's freshness indicator, from the stream's status.

import type { StreamStatus } from './stream';
import { formatClock } from './time';

export type Tone = 'live' | 'warn' | 'offline' | 'idle';

export interface Freshness {
  tone: Tone;
  text: string;
}

/** How long "Reconnected — caught up …" stays before it settles to "Live". */
export const kReconnectedNoticeMs = 30_000;

/**
 * `nowMs` is this browser's clock (the stream's times are); `skewMs` (server
 * minus browser) shifts the time shown so it agrees with the board's clock.
 */
export function freshness(status: StreamStatus, nowMs: number, skewMs = 0): Freshness {
  switch (status.kind) {
    case 'connecting':
      return { tone: 'idle', text: 'Connecting…' };
    case 'live': {
      if (status.reconnectedAt !== null && nowMs - status.reconnectedAt < kReconnectedNoticeMs) {
        const n = status.missed;
        return {
          tone: 'live',
          text: `Reconnected — caught up ${n} ${n === 1 ? 'event' : 'events'} missed while offline`,
        };
      }
      return { tone: 'live', text: 'Live' };
    }
    case 'offline':
      return { tone: 'offline', text: `Offline since ${formatClock(status.since + skewMs)} — reconnecting` };
    case 'stopped':
      return { tone: 'warn', text: 'Not receiving updates' };
  }
}
