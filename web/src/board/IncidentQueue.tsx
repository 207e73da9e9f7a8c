import type { Incident } from '../api/types';
import { incidentTypeLabel } from '../lib/cad';
import { flagLabel, humanise, incidentTarget, kGradeNames, normaliseGrade, sortQueue } from '../lib/queue';
import { incidentHash } from '../lib/roles';
import { formatTime } from '../lib/time';

interface Props {
  incidents: Incident[];
  now: number;
  selectedId: string | null;
}

export function IncidentQueue({ incidents, now, selectedId }: Props) {
  const sorted = sortQueue(incidents);
  const open = sorted.filter((i) => i.status !== 'closed').length;
  const overdue = sorted.filter((i) => incidentTarget(i, now).overdue).length;
  return (
    <section className="pane pane-queue" aria-labelledby="queue-h">
      <div className="pane-head">
        <h2 id="queue-h">Incident queue</h2>
        <span className="pane-count">
          {open} open{overdue > 0 && <strong className="overdue-count"> · {overdue} overdue</strong>}
        </span>
      </div>
      {sorted.length === 0 ? (
        <p className="empty">No open incidents. New incidents appear here as soon as they are created.</p>
      ) : (
        <ol className="queue" data-testid="incident-queue">
          {sorted.map((inc) => {
            const grade = normaliseGrade(inc.grade);
            const target = incidentTarget(inc, now);
            const selected = inc.id === selectedId;
            const attending = inc.attending_count ?? inc.assigned_count;
            const short = inc.status === 'open' && inc.assigned_count < inc.recommended_attendance;
            const over = attending > inc.recommended_attendance && inc.recommended_attendance > 0;
            return (
              <li
                key={inc.id}
                id={`incident-${inc.id}`}
                data-testid="incident"
                data-reference={inc.reference}
                className={`incident${target.overdue ? ' overdue' : ''}${selected ? ' selected' : ''}${inc.status === 'closed' ? ' closed' : ''}`}
              >
                <span className={`grade grade-${grade}`} title={kGradeNames[grade] ?? inc.grade}>
                  <span className="sr-only">Grade </span>
                  {grade || '?'}
                </span>
                <div className="incident-body">
                  <div className="incident-top">
                    <a className="incident-ref" href={incidentHash(inc.id)}>
                      {inc.reference}
                    </a>
                    <span className="incident-type">{incidentTypeLabel(inc.type)}</span>
                    <span className={`target tone-${target.tone}`} data-testid="target">
                      {target.overdue && <span aria-hidden="true">⚠ </span>}
                      {target.text}
                    </span>
                  </div>
                  <div className="incident-where">
                    {inc.location.address || (inc.location.located === false ? 'Unlocated' : 'No address')}
                    {inc.borough && <span className="muted"> · {inc.borough.name}</span>}
                    {inc.bcu && <span className="muted"> · {inc.bcu.code}</span>}
                  </div>
                  {inc.description && <div className="incident-desc">{inc.description}</div>}
                  {(inc.flags.length > 0 || inc.emergency || inc.resourced) && (
                    <ul className="flags" aria-label="Flags">
                      {inc.emergency && <li className="flag flag-emergency">Emergency button</li>}
                      {inc.flags.map((f) => (
                        <li key={f} className={`flag flag-${f}`}>
                          {flagLabel(f)}
                        </li>
                      ))}
                      {inc.resourced && inc.status === 'open' && <li className="flag flag-resourced">Resourced</li>}
                    </ul>
                  )}
                  <div className="incident-meta">
                    <span className={short ? 'attendance short' : over ? 'attendance over' : 'attendance'}>
                      Units {inc.assigned_count} of {inc.recommended_attendance}
                      {attending !== inc.assigned_count && ` · ${attending} attending`}
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
