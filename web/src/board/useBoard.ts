// Keeps the control room board current: GET /api/board, then the event
// stream from the board's seq (see useLive).

import { useCallback } from 'react';
import { api } from '../api/instance';
import type { Board } from '../api/types';
import { useLive } from '../live/useLive';
import type { LiveState } from '../live/useLive';

export interface BoardState extends Omit<LiveState<Board>, 'data'> {
  board: Board | null;
}

export function useBoard(onUnauthenticated: () => void): BoardState {
  const load = useCallback(async () => {
    const b = await api.get<Board>('/api/board');
    return { data: b, seq: b.seq, now: b.now };
  }, []);
  const { data, ...rest } = useLive('board', load, onUnauthenticated);
  return { board: data, ...rest };
}
