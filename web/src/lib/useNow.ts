import { useEffect, useState } from 'react';

/**
 * The current time in ms, shifted by `skewMs` (server clock minus this
 * browser's), re-rendering every `intervalMs` on the boundary of the shifted
 * clock, so a seconds display ticks with the server's seconds.
 */
export function useNow(intervalMs = 1000, skewMs = 0): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const t = Date.now();
      setNow(t);
      timer = setTimeout(tick, intervalMs - ((t + skewMs) % intervalMs) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [intervalMs, skewMs]);
  return now + skewMs;
}
