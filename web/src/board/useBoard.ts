// Keeps the control room board current: loads GET /api/board, then follows
// the event stream from the board's seq. Each event asks for a refresh; the
// coalescer turns bursts into one GET within a second. A refresh that returns
// an older seq than the one shown (responses crossing) is dropped.

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/instance';
import type { Board } from '../api/types';
import { currentToken } from '../auth/session';
import { createCoalescer } from '../lib/coalesce';
import { StreamClient, streamUrl } from '../lib/stream';
import type { SocketLike, StreamStatus } from '../lib/stream';
import { parseIso } from '../lib/time';

export interface BoardState {
  board: Board | null;
  /** The first load failed; there is no board to show. */
  loadError: ApiError | null;
  /** A later refresh failed; the board shown is older than it should be. */
  refreshError: ApiError | null;
  status: StreamStatus;
  /** Server clock minus this browser's clock, from the board's "now". */
  skewMs: number;
  /** When the board shown was fetched (client clock). */
  fetchedAt: number | null;
  refresh: () => void;
  retry: () => void;
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, { code: 'internal', message: String(err) });
}

export function useBoard(onUnauthenticated: () => void): BoardState {
  const [board, setBoard] = useState<Board | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [refreshError, setRefreshError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<StreamStatus>({ kind: 'connecting' });
  const [skewMs, setSkewMs] = useState(0);
  const [fetchedAt, setFetchedAt] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);
  const refreshRef = useRef<() => void>(() => undefined);
  const unauthRef = useRef(onUnauthenticated);
  unauthRef.current = onUnauthenticated;

  useEffect(() => {
    let cancelled = false;
    let shownSeq = -1;
    let client: StreamClient | null = null;

    async function load(): Promise<void> {
      const b = await api.get<Board>('/api/board');
      if (cancelled || b.seq < shownSeq) return;
      shownSeq = b.seq;
      const now = parseIso(b.now);
      if (Number.isFinite(now)) setSkewMs(now - Date.now());
      setBoard(b);
      setFetchedAt(Date.now());
      setRefreshError(null);
    }

    const coalescer = createCoalescer(() =>
      load().catch((e: unknown) => {
        if (!cancelled) setRefreshError(asApiError(e));
      }),
    );
    refreshRef.current = coalescer.request;

    setLoadError(null);
    load()
      .then(() => {
        if (cancelled) return;
        client = new StreamClient({
          url: streamUrl(window.location),
          getToken: currentToken,
          since: shownSeq,
          // A browser WebSocket has these members; its handlers take Event subtypes.
          createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
          onEvent: () => coalescer.request(),
          onStatus: (s) => {
            if (cancelled) return;
            setStatus(s);
            // After an outage, fetch once more even if no visible event was missed.
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
  }, [attempt]);

  const refresh = useCallback(() => refreshRef.current(), []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { board, loadError, refreshError, status, skewMs, fetchedAt, refresh, retry };
}
