// Keeps a screen's data current: loads it, then follows the event stream from
// the seq the data was read at. Each event asks for a reload; the coalescer
// turns bursts into one load within a second. A reload that returns an older
// seq than the one shown (responses crossing) is dropped. The board, the
// incident screen and the officer view all use it.

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { currentToken } from '../auth/session';
import { createCoalescer } from '../lib/coalesce';
import { StreamClient, streamUrl } from '../lib/stream';
import type { SocketLike, StreamEvent, StreamStatus } from '../lib/stream';
import { parseIso } from '../lib/time';

export interface Loaded<T> {
  data: T;
  /** The log seq the data is at least as new as. */
  seq: number;
  /** The server's clock when it was read (ISO), for the skew. */
  now?: string;
}

export interface LiveState<T> {
  data: T | null;
  /** The first load failed; there is nothing to show. */
  loadError: ApiError | null;
  /** A later reload failed; what is shown is older than it should be. */
  refreshError: ApiError | null;
  status: StreamStatus;
  /** Server clock minus this browser's clock. */
  skewMs: number;
  /** When the data shown was fetched (client clock). */
  fetchedAt: number | null;
  /** Reload soon (coalesced), e.g. after this page changed something. */
  refresh: () => void;
  /** Start again after a failed first load. */
  retry: () => void;
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, { code: 'internal', message: String(err) });
}

/**
 * `load` is called again whenever `key` changes. `relevant` filters the
 * events that cause a reload (default: all).
 */
export function useLive<T>(
  key: string,
  load: () => Promise<Loaded<T>>,
  onUnauthenticated: () => void,
  relevant?: (e: StreamEvent) => boolean,
): LiveState<T> {
  const [data, setData] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [refreshError, setRefreshError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<StreamStatus>({ kind: 'connecting' });
  const [skewMs, setSkewMs] = useState(0);
  const [fetchedAt, setFetchedAt] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);
  const refreshRef = useRef<() => void>(() => undefined);
  const unauthRef = useRef(onUnauthenticated);
  unauthRef.current = onUnauthenticated;
  const loadRef = useRef(load);
  loadRef.current = load;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;

  useEffect(() => {
    let cancelled = false;
    let shownSeq = -1;
    let client: StreamClient | null = null;
    setData(null);
    setFetchedAt(null);

    async function reload(): Promise<void> {
      const got = await loadRef.current();
      if (cancelled || got.seq < shownSeq) return;
      shownSeq = got.seq;
      const now = got.now ? parseIso(got.now) : Number.NaN;
      if (Number.isFinite(now)) setSkewMs(now - Date.now());
      setData(got.data);
      setFetchedAt(Date.now());
      setRefreshError(null);
    }

    const coalescer = createCoalescer(() =>
      reload().catch((e: unknown) => {
        if (!cancelled) setRefreshError(asApiError(e));
      }),
    );
    refreshRef.current = coalescer.request;

    setLoadError(null);
    reload()
      .then(() => {
        if (cancelled) return;
        client = new StreamClient({
          url: streamUrl(window.location),
          getToken: currentToken,
          since: shownSeq,
          // A browser WebSocket has these members; its handlers take Event subtypes.
          createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
          onEvent: (e) => {
            const f = relevantRef.current;
            if (!f || f(e)) coalescer.request();
          },
          onStatus: (s) => {
            if (cancelled) return;
            setStatus(s);
            // After an outage, load once more even if no visible event was missed.
            if (s.kind === 'live' && s.reconnectedAt !== null) coalescer.request();
          },
          onUnauthenticated: () => unauthRef.current(),
        });
        client.start();
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoadError(asApiError(e));
      });

    const online = () => client?.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      cancelled = true;
      window.removeEventListener('online', online);
      coalescer.cancel();
      client?.stop();
    };
  }, [key, attempt]);

  const refresh = useCallback(() => refreshRef.current(), []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, loadError, refreshError, status, skewMs, fetchedAt, refresh, retry };
}
