// The control room board: alerts and the incident queue, the map, and units by
// BCU, kept live by the event stream.

import { useEffect, useMemo, useRef, useState } from 'react';
import { fetchBcus } from '../reference/referenceData';
import type { Bcu } from '../api/types';
import { can, canAcknowledgeAlerts } from '../lib/roles';
import { formatClock, formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { DetentionsPane } from './DetentionsPane';
import { AlertsPane } from './AlertsPane';
import { Freshness } from './Freshness';
import { IncidentQueue } from './IncidentQueue';
import { LondonMap } from './LondonMap';
import { UnitBoard } from './UnitBoard';
import { useBoard } from './useBoard';
import { LoadState } from '../ui/LoadState';

interface Props {
  role: string;
  onUnauthenticated: () => void;
}

export function BoardPage({ role, onUnauthenticated }: Props) {
  const s = useBoard(onUnauthenticated);
  const now = useNow(1000, s.skewMs);
  const clientNow = now - s.skewMs;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [bcus, setBcus] = useState<Bcu[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let cancelled = false;
    fetchBcus()
      .then((b) => !cancelled && setBcus(b))
      .catch(() => undefined); // codes stand in for names
    return () => {
      cancelled = true;
    };
  }, []);
  const bcuNames = useMemo(() => new Map(bcus.map((b) => [b.code, b.name])), [bcus]);
  const board = s.board;
  const references = useMemo(() => new Map((board?.incidents ?? []).map((i) => [i.id, i.reference])), [board]);

  return (
    <div className="board">
      <div className="board-bar">
        <h1 ref={heading} tabIndex={-1}>
          Control room board
        </h1>
        <Freshness status={s.status} clientNow={clientNow} skewMs={s.skewMs} />
        <span className="board-seq" data-testid="board-seq">
          Board seq {board ? board.seq : '—'}
        </span>
        <span className="board-clock">
          London <time>{formatClock(now)}</time>
        </span>
        {s.refreshError && board && s.fetchedAt !== null && (
          <span className="warn-text" role="status">
            Refresh failed ({s.refreshError.message}); showing the board as at{' '}
            {formatTime(s.fetchedAt + s.skewMs, now, { seconds: true })}
          </span>
        )}
      </div>
      {s.loadError || !board ? (
        <LoadState error={s.loadError} onRetry={s.retry} failed="Could not load the board" loading="Loading the board…" />
      ) : (
        <div className="board-grid">
          <div className="board-col board-col-left">
            <AlertsPane
              alerts={board.alerts}
              incidents={board.incidents}
              units={board.units}
              now={now}
              canAcknowledge={canAcknowledgeAlerts(role)}
              canStandDown={can(role, 'assignment.stand_down')}
              onChanged={s.refresh}
            />
            <IncidentQueue incidents={board.incidents} now={now} selectedId={selectedId} />
            {board.detentions && (
              <DetentionsPane detentions={board.detentions} places={board.places_of_safety ?? []} role={role} now={now} />
            )}
          </div>
          <LondonMap
            incidents={board.incidents}
            units={board.units}
            now={now}
            selectedId={selectedId}
            onSelect={setSelectedId}
          />
          <UnitBoard units={board.units} bcuNames={bcuNames} references={references} now={now} />
        </div>
      )}
    </div>
  );
}
