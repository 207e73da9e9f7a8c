import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../testing/fakes';
import { createCoalescer } from './coalesce';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('createCoalescer', () => {
  it('turns a burst into one refresh 150 ms after the last request', async () => {
    const timers = new FakeTimers();
    let runs = 0;
    const c = createCoalescer(async () => void runs++, { timers });
    c.request();
    timers.advance(100);
    c.request();
    timers.advance(149);
    expect(runs).toBe(0);
    timers.advance(1);
    await flush();
    expect(runs).toBe(1);
  });

  it('refreshes within maxWait even while requests keep coming', async () => {
    const timers = new FakeTimers();
    let runs = 0;
    const c = createCoalescer(async () => void runs++, { timers, waitMs: 150, maxWaitMs: 800 });
    for (let t = 0; t < 800; t += 100) {
      c.request();
      timers.advance(100);
    }
    await flush();
    expect(runs).toBe(1);
  });

  it('runs once more after a slow refresh if asked meanwhile, never two at once', async () => {
    const timers = new FakeTimers();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: () => void = () => undefined;
    const c = createCoalescer(
      () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        return new Promise<void>((r) => {
          release = () => {
            active--;
            r();
          };
        });
      },
      { timers },
    );
    c.request();
    timers.advance(150);
    await flush();
    c.request();
    timers.advance(150);
    c.request();
    timers.advance(150);
    await flush();
    expect(runs).toBe(1);
    release();
    await flush();
    timers.advance(150);
    await flush();
    expect(runs).toBe(2);
    release();
    await flush();
    expect(maxActive).toBe(1);
  });

  it('does nothing after cancel', async () => {
    const timers = new FakeTimers();
    let runs = 0;
    const c = createCoalescer(async () => void runs++, { timers });
    c.request();
    c.cancel();
    timers.advance(1000);
    await flush();
    expect(runs).toBe(0);
  });
});
