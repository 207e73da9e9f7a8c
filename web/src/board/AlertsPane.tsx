import { useState } from 'react';
import { api } from '../api/instance';
import type { Alert, Incident, Unit } from '../api/types';
import { alertReadingOrder, alertTypeLabel, audienceLabel, suggestedStandDown } from '../lib/cad';
import { policeReferralOfAlert, referralHash } from '../lib/partners';
import { incidentHash } from '../lib/roles';
import { formatTime, parseIso } from '../lib/time';
import { timeOrderedUuid } from '../lib/uuid';
import { useCommands } from '../live/useCommands';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';

interface Props {
  alerts: Alert[];
  incidents: Incident[];
  units: Unit[];
  now: number;
  /** Whether this user may acknowledge an alert (the server decides; this hides a button it would refuse). */
  canAcknowledge: (alert: Alert) => boolean;
  /** Whether this user may stand units down (over-attendance alerts offer it). */
  canStandDown: boolean;
  onChanged: () => void;
  /** Heading level and title, so the incident screen can show its own alerts. */
  title?: string;
  headingLevel?: 2 | 3;
  /** Leave out the incident reference (the incident screen is about one incident). */
  hideIncident?: boolean;
  /** Whether this user may open the referrals to the police (an overdue one's alert links there). */
  mayOpenReferrals?: boolean;
}

function byRaisedDesc(a: Alert, b: Alert): number {
  return (parseIso(b.raised_at) || 0) - (parseIso(a.raised_at) || 0);
}

const kShownAcknowledged = 5;

export function AlertsPane({
  alerts,
  incidents,
  units,
  now,
  canAcknowledge,
  canStandDown,
  onChanged,
  title = 'Alerts',
  headingLevel = 2,
  hideIncident = false,
  mayOpenReferrals = false,
}: Props) {
  const cmd = useCommands();
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const [stoodDown, setStoodDown] = useState<Record<string, number>>({});

  const isAcked = (a: Alert) => a.acknowledged_at !== null || done.has(a.id);
  const open = alerts.filter((a) => !isAcked(a)).sort(alertReadingOrder);
  const acked = alerts.filter(isAcked).sort(byRaisedDesc).slice(0, kShownAcknowledged);
  const incidentRef = new Map(incidents.map((i) => [i.id, i.reference]));
  const callSign = new Map(units.map((u) => [u.id, u.call_sign]));
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const headId = `alerts-h${hideIncident ? '-incident' : ''}`;

  async function acknowledge(alert: Alert) {
    const key = timeOrderedUuid(); // one user action, one key; the client retries with it
    const r = await cmd.run(
      `ack:${alert.id}`,
      () =>
        // The route takes a JSON object body; acknowledging needs no fields.
        api.send('POST', `/api/alerts/${encodeURIComponent(alert.id)}/acknowledge`, {}, { idempotencyKey: key }),
      { what: `Acknowledge “${alert.message}”` },
    );
    if (r.ok) {
      setDone((s) => new Set(s).add(alert.id));
      onChanged();
    }
  }

  async function standDown(alert: Alert) {
    if (!alert.incident_id) return;
    // Exactly the units the button names (the alert is kept up to date as units come and go).
    const units = suggestedStandDown(alert).map((s) => s.unit_id);
    const r = await cmd.run(`sd:${alert.id}`, () =>
      api.send<{ stood_down?: number }>(
        'POST',
        `/api/incidents/${encodeURIComponent(alert.incident_id!)}/stand-down`,
        { alert_id: alert.id, unit_ids: units },
      ),
      { what: `Stand down for “${alert.message}”` },
    );
    if (r.ok) {
      setStoodDown((s) => ({ ...s, [alert.id]: r.value.stood_down ?? 0 }));
      // Standing down from the alert acknowledges it on the server.
      setDone((s) => new Set(s).add(alert.id));
      onChanged();
    }
  }

  function units_(a: Alert) {
    return a.unit_ids.map((id) => callSign.get(id) ?? id).join(', ');
  }

  // tabIndex: the pane scrolls, so keyboard users must be able to reach it even when it holds no
  // button (roles that may not acknowledge, such as the auditor).
  return (
    <section className="pane pane-alerts" aria-labelledby={headId} data-testid="alerts-pane" tabIndex={0}>
      <div className="pane-head">
        <H id={headId}>{title}</H>
        <span className="pane-count">{open.length} open</span>
      </div>
      <DetachedCommandErrors cmd={cmd} />
      {alerts.length === 0 && <p className="empty">No alerts.</p>}
      {open.length > 0 && (
        <ul className="alerts" data-testid="alerts-open">
          {open.map((a) => {
            const suggested = suggestedStandDown(a);
            const referral = mayOpenReferrals ? policeReferralOfAlert(a) : null;
            const errId = `alert-err-${a.id}`;
            const err = cmd.error(`ack:${a.id}`) ?? cmd.error(`sd:${a.id}`);
            return (
              <li key={a.id} className={`alert alert-${a.type}`} data-testid="alert" data-type={a.type} data-alert={a.id}>
                <div className="alert-head">
                  <strong>{alertTypeLabel(a.type)}</strong>
                  <span className="alert-when">
                    {a.audience && a.audience !== 'control' && (
                      <span className="audience">For {audienceLabel(a.audience).toLowerCase()} · </span>
                    )}
                    <time dateTime={a.raised_at}>{formatTime(a.raised_at, now)}</time>
                  </span>
                </div>
                <p className="alert-msg">{a.message}</p>
                {referral && (
                  <p className="small">
                    <a href={referralHash(referral)} data-testid="alert-referral-link">
                      Open referral {referral}
                    </a>{' '}
                    to see what is asked and answer it
                  </p>
                )}
                <p className="muted small">
                  {!hideIncident && a.incident_id && (
                    <a href={incidentHash(a.incident_id)}>{incidentRef.get(a.incident_id) ?? 'Open incident'}</a>
                  )}
                  {!hideIncident && a.incident_id && a.unit_ids.length > 0 && suggested.length === 0 && ' · '}
                  {suggested.length === 0 && units_(a)}
                </p>
                {suggested.length > 0 && (
                  <p className="suggested small">
                    Suggested to stand down (furthest first, not at scene):{' '}
                    <strong>{suggested.map((s) => s.call_sign).join(', ')}</strong>
                  </p>
                )}
                <div className="alert-actions">
                  {canStandDown && suggested.length > 0 && a.incident_id && (
                    <button
                      type="button"
                      className="danger small"
                      onClick={() => void standDown(a)}
                      disabled={cmd.pending(`sd:${a.id}`)}
                      aria-describedby={err ? errId : undefined}
                    >
                      {cmd.pending(`sd:${a.id}`) ? 'Standing down…' : `Stand down ${suggested.length} suggested`}
                      <span className="sr-only">: {suggested.map((s) => s.call_sign).join(', ')}</span>
                    </button>
                  )}
                  {canAcknowledge(a) && (
                    <button
                      type="button"
                      className="primary small"
                      onClick={() => void acknowledge(a)}
                      disabled={cmd.pending(`ack:${a.id}`)}
                      aria-describedby={err ? errId : undefined}
                    >
                      {cmd.pending(`ack:${a.id}`) ? 'Acknowledging…' : 'Acknowledge'}
                      <span className="sr-only">: {a.message}</span>
                    </button>
                  )}
                </div>
                <CommandError cmd={cmd} action={[`ack:${a.id}`, `sd:${a.id}`]} id={errId} />
              </li>
            );
          })}
        </ul>
      )}
      {acked.length > 0 && (
        <details className="acked">
          <summary>Recently acknowledged ({acked.length})</summary>
          <ul className="alerts">
            {acked.map((a) => (
              <li key={a.id} className="alert acked">
                <div className="alert-head">
                  <span>{alertTypeLabel(a.type)}</span>
                  <time dateTime={a.raised_at}>{formatTime(a.raised_at, now)}</time>
                </div>
                <p className="alert-msg">{a.message}</p>
                <p className="muted small">
                  {stoodDown[a.id] !== undefined && `Stood down ${stoodDown[a.id]} ${stoodDown[a.id] === 1 ? 'unit' : 'units'}. `}
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
