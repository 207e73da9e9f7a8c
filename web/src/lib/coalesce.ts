// Coalesces bursts of "something changed" into few refreshes. A request waits
// `waitMs` for more to arrive, but never more than `maxWaitMs` from the first
// request of a burst, so a steady trickle of events still refreshes the board
// within a second. One refresh runs at a time; a request that arrives while one
// runs is served by exactly one more run after it.

import type { Timers } from './stream';
import { realTimers } from './stream';

export interface Coalescer {
  request(): void;
  cancel(): void;
}

export function createCoalescer(
  run: () => Promise<unknown>,
  options: { waitMs?: number; maxWaitMs?: number; timers?: Timers } = {},
): Coalescer {
  const waitMs = options.waitMs ?? 150;
  const maxWaitMs = options.maxWaitMs ?? 800;
  const timers = options.timers ?? realTimers;
  let timer: unknown = null;
  let burstStart: number | null = null;
  let running = false;
  let pending = false;
  let cancelled = false;

  function fire(): void {
    timer = null;
    burstStart = null;
    if (running) {
      pending = true;
      return;
    }
    running = true;
    Promise.resolve()
      .then(run)
      .catch(() => undefined) // the caller reports its own errors
      .finally(() => {
        running = false;
        if (pending && !cancelled) {
          pending = false;
          request();
        }
      });
  }

  function request(): void {
    cancelled = false;
    const now = timers.now();
    if (burstStart === null) burstStart = now;
    if (timer !== null) timers.clearTimeout(timer);
    const delay = Math.max(0, Math.min(waitMs, burstStart + maxWaitMs - now));
    timer = timers.setTimeout(fire, delay);
  }

  function cancel(): void {
    cancelled = true;
    pending = false;
    burstStart = null;
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  return { request, cancel };
}
