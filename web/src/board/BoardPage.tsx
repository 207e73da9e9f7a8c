// The control room board: alerts and the incident queue, the map, and units by
// BCU, kept live by the event stream.

import { useEffect, useMemo, useRef, useState } from 'react';
import { fetchBcus } from '../reference/referenceData';
import type { Bcu } from '../api/types';
import { can, canAcknowledgeAlert, canOpenPoliceReferrals, incidentHash } from '../lib/roles';
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
import { isLiveEmergency } from '../lib/queue';
import { referralsWaitingText } from '../lib/partners';
import type { Incident } from '../api/types';

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
      {board && <EmergencyBanner incidents={board.incidents} now={now} />}
      {board?.referrals_to_police && canOpenPoliceReferrals(role) && <ReferralsWaiting counts={board.referrals_to_police} />}
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
              canAcknowledge={(a) => canAcknowledgeAlert(role, a)}
              canStandDown={can(role, 'assignment.stand_down')}
              mayOpenReferrals={canOpenPoliceReferrals(role)}
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

/** Partners' referrals to the police waiting for an answer, pointing at the screen that answers them. */
function ReferralsWaiting({ counts }: { counts: { unanswered: number; overdue: number } }) {
  const text = referralsWaitingText(counts);
  if (!text) return null;
  return (
    <p className={`referrals-waiting${counts.overdue > 0 ? ' overdue' : ''}`} role="status" data-testid="referrals-waiting">
      {text} · <a href="#/referrals">Open referrals to police</a>
    </p>
  );
}

/** Every open emergency-button incident, above everything else on the board. */
function EmergencyBanner({ incidents, now }: { incidents: Incident[]; now: number }) {
  const live = incidents.filter(isLiveEmergency);
  if (live.length === 0) return null;
  return (
    <div className="emergency-banner" role="alert" data-testid="emergency-banner">
      {live.map((i) => (
        <p key={i.id}>
          <strong>Emergency button</strong> · <a href={incidentHash(i.id)}>{i.reference}</a> ·{' '}
          {i.location.address || 'location by fix'} · pressed {formatTime(i.received_at, now)} ·{' '}
          {i.attending_count ?? 0} {(i.attending_count ?? 0) === 1 ? 'unit' : 'units'} helping, {i.recommended_attendance} recommended
        </p>
      ))}
    </div>
  );
}
