import { useState } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/instance';
import type { Alert, Incident, Unit } from '../api/types';
import { humanise } from '../lib/queue';
import { formatTime, parseIso } from '../lib/time';
import { randomUuid } from '../lib/uuid';

interface Props {
  alerts: Alert[];
  incidents: Incident[];
  units: Unit[];
  now: number;
  /** Whether this user may acknowledge (the server decides; this hides a button that would be refused). */
  canAcknowledge: boolean;
  onChanged: () => void;
}

function byRaisedDesc(a: Alert, b: Alert): number {
  return (parseIso(b.raised_at) || 0) - (parseIso(a.raised_at) || 0);
}

const kShownAcknowledged = 5;

export function AlertsPane({ alerts, incidents, units, now, canAcknowledge, onChanged }: Props) {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});

  const isAcked = (a: Alert) => a.acknowledged_at !== null || done.has(a.id);
  const open = alerts.filter((a) => !isAcked(a)).sort(byRaisedDesc);
  const acked = alerts.filter(isAcked).sort(byRaisedDesc).slice(0, kShownAcknowledged);
  const incidentRef = new Map(incidents.map((i) => [i.id, i.reference]));
  const callSign = new Map(units.map((u) => [u.id, u.call_sign]));

  async function acknowledge(alert: Alert) {
    const key = randomUuid(); // one user action, one key; the client retries with it
    setPending((s) => new Set(s).add(alert.id));
    setErrors(({ [alert.id]: _, ...rest }) => rest);
    try {
      // The route takes a JSON object body; acknowledging needs no fields.
      await api.send('POST', `/api/alerts/${encodeURIComponent(alert.id)}/acknowledge`, {}, {
        idempotencyKey: key,
      });
      setDone((s) => new Set(s).add(alert.id));
      onChanged();
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'The acknowledgement failed.';
      setErrors((e) => ({ ...e, [alert.id]: message }));
    } finally {
      setPending((s) => {
        const n = new Set(s);
        n.delete(alert.id);
        return n;
      });
    }
  }

  function describe(a: Alert) {
    const parts: string[] = [];
    if (a.incident_id) parts.push(incidentRef.get(a.incident_id) ?? 'incident');
    const signs = a.unit_ids.map((id) => callSign.get(id) ?? id);
    if (signs.length > 0) parts.push(signs.join(', '));
    return parts.join(' · ');
  }

  return (
    <section className="pane pane-alerts" aria-labelledby="alerts-h">
      <div className="pane-head">
        <h2 id="alerts-h">Alerts</h2>
        <span className="pane-count">{open.length} open</span>
      </div>
      {alerts.length === 0 && <p className="empty">No alerts.</p>}
      {open.length > 0 && (
        <ul className="alerts" data-testid="alerts-open">
          {open.map((a) => (
            <li key={a.id} className="alert" data-testid="alert">
              <div className="alert-head">
                <strong>{humanise(a.type)}</strong>
                <time dateTime={a.raised_at}>{formatTime(a.raised_at, now)}</time>
              </div>
              <p className="alert-msg">{a.message}</p>
              {describe(a) && <p className="muted small">{describe(a)}</p>}
              {canAcknowledge && (
                <button
                  type="button"
                  className="primary small"
                  onClick={() => void acknowledge(a)}
                  disabled={pending.has(a.id)}
                  aria-describedby={errors[a.id] ? `alert-err-${a.id}` : undefined}
                >
                  {pending.has(a.id) ? 'Acknowledging…' : 'Acknowledge'}
                  <span className="sr-only">: {a.message}</span>
                </button>
              )}
              {errors[a.id] && (
                <p role="alert" id={`alert-err-${a.id}`} className="form-error">
                  {errors[a.id]}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {acked.length > 0 && (
        <details className="acked">
          <summary>Recently acknowledged ({acked.length})</summary>
          <ul className="alerts">
            {acked.map((a) => (
              <li key={a.id} className="alert acked">
                <div className="alert-head">
                  <span>{humanise(a.type)}</span>
                  <time dateTime={a.raised_at}>{formatTime(a.raised_at, now)}</time>
                </div>
                <p className="alert-msg">{a.message}</p>
                <p className="muted small">
                  {a.acknowledged_at
                    ? `Acknowledged ${formatTime(a.acknowledged_at, now)}${a.acknowledged_by ? ` by ${a.acknowledged_by}` : ''}`
                    : 'Acknowledged — updating…'}
                </p>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
