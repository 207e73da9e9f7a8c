import type { Incident } from '../api/types';
import { flagLabel, humanise, kGradeNames, normaliseGrade, sortQueue } from '../lib/queue';
import { formatTime, targetState } from '../lib/time';

interface Props {
  incidents: Incident[];
  now: number;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

export function IncidentQueue({ incidents, now, selectedId, onSelect }: Props) {
  const sorted = sortQueue(incidents);
  const overdue = sorted.filter((i) => targetState(i.target_at, now).overdue).length;
  return (
    <section className="pane pane-queue" aria-labelledby="queue-h">
      <div className="pane-head">
        <h2 id="queue-h">Incident queue</h2>
        <span className="pane-count">
          {sorted.length} open{overdue > 0 && <strong className="overdue-count"> · {overdue} overdue</strong>}
        </span>
      </div>
      {sorted.length === 0 ? (
        <p className="empty">No open incidents. New incidents appear here as soon as they are created.</p>
      ) : (
        <ol className="queue" data-testid="incident-queue">
          {sorted.map((inc) => {
            const grade = normaliseGrade(inc.grade);
            const target = targetState(inc.target_at, now);
            const selected = inc.id === selectedId;
            const short = inc.assigned_count < inc.recommended_attendance;
            return (
              <li
                key={inc.id}
                id={`incident-${inc.id}`}
                data-testid="incident"
                className={`incident${target.overdue ? ' overdue' : ''}${selected ? ' selected' : ''}`}
              >
                <span className={`grade grade-${grade}`} title={kGradeNames[grade] ?? inc.grade}>
                  <span className="sr-only">Grade </span>
                  {grade || '?'}
                </span>
                <div className="incident-body">
                  <div className="incident-top">
                    <button
                      type="button"
                      className="incident-ref"
                      aria-pressed={selected}
                      onClick={() => onSelect(selected ? null : inc.id)}
                    >
                      {inc.reference}
                    </button>
                    <span className="incident-type">{humanise(inc.type)}</span>
                    <span className={`target${target.overdue ? ' overdue' : ''}`}>
                      {target.overdue && <span aria-hidden="true">⚠ </span>}
                      {target.text}
                    </span>
                  </div>
                  <div className="incident-where">
                    {inc.location.address || 'No address'}
                    {inc.borough && <span className="muted"> · {inc.borough.name}</span>}
                  </div>
                  {inc.description && <div className="incident-desc">{inc.description}</div>}
                  {inc.flags.length > 0 && (
                    <ul className="flags" aria-label="Flags">
                      {inc.flags.map((f) => (
                        <li key={f} className={`flag flag-${f}`}>
                          {flagLabel(f)}
                        </li>
                      ))}
                    </ul>
                  )}
                  <div className="incident-meta">
                    <span className={short ? 'attendance short' : 'attendance'}>
                      Units {inc.assigned_count} of {inc.recommended_attendance}
                    </span>
                    <span>{humanise(inc.status)}</span>
                    <span>
                      Created <time dateTime={inc.created_at}>{formatTime(inc.created_at, now)}</time>
                    </span>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
