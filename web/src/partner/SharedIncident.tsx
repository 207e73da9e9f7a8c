// An incident as a partner sees it: only the parts of the categories their
// agreement covers (the server leaves the rest out), with a plain statement of
// what is withheld. Asking for an incident that is not shared is a 404: the
// screen says so without hinting whether it exists.

import { useCallback, useEffect, useRef } from 'react';
import { api } from '../api/instance';
import type { Health, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import { categoryLabel, withheldCategories } from '../lib/partners';
import { humanise } from '../lib/queue';
import { incidentTypeLabel } from '../lib/cad';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { useLive } from '../live/useLive';
import { FlagList } from '../ui/FlagList';
import { LoadState } from '../ui/LoadState';
import { AcceptHandover, mayOfferAcceptance } from './AcceptHandover';
import type { SharedIncident } from './types';

export function sharedIncidentHash(id: string): string {
  return `#/partner/incidents/${encodeURIComponent(id)}`;
}

export function SharedIncidentView({
  incident: i,
  now,
  compact = false,
  acceptAs,
}: {
  incident: SharedIncident;
  now: number;
  compact?: boolean;
  /** A clinician's name: offer to accept handovers waiting for health (the server checks the site is their trust's). */
  acceptAs?: string;
}) {
  const withheld = withheldCategories(i.categories);
  const title = i.reference ?? `Incident ${i.id}`;
  const H = compact ? 'h3' : 'h2';
  return (
    <article className="shared-incident" data-testid="shared-incident" data-incident={i.id} aria-label={title}>
      <H className="shared-title">
        {compact ? <a href={sharedIncidentHash(i.id)}>{title}</a> : title}
        {i.type && <span className="incident-head-type"> {incidentTypeLabel(i.type)}</span>}
      </H>
      {i.status !== undefined && (
        <p className="small">
          {humanise(i.status)} · grade {i.grade_name ?? i.grade} · received {formatTime(i.received_at, now)}
        </p>
      )}
      {i.description && <p>{i.description}</p>}
      {i.location && (
        <p className="small">
          <strong>Location:</strong> {i.location.address || 'no address'}
          {i.borough ? `, ${i.borough.name}` : ''} ({humanise(i.location.type)})
        </p>
      )}
      {i.flags && i.flags.length > 0 && <FlagList flags={i.flags} />}
      {i.caller && (
        <p className="small">
          <strong>Caller:</strong> {i.caller.name || 'not given'} {i.caller.phone}
          {i.persons && i.persons.length > 0 ? ` · persons linked: ${i.persons.join(', ')}` : ''}
        </p>
      )}
      {!compact && i.thrive && (
        <div className="small">
          <strong>THRIVE (health-relevant parts):</strong>{' '}
          {i.thrive.length === 0
            ? 'none recorded'
            : i.thrive.map((t) => (
                <p key={t.version}>
                  v{t.version} {formatTime(t.at, now)}: overall {t.overall}; harm: {t.harm}; vulnerability: {t.vulnerability}
                </p>
              ))}
        </div>
      )}
      {i.detentions && i.detentions.length > 0 && (
        <div className="small" data-testid="shared-detentions">
          <strong>Detentions:</strong>
          <ul>
            {i.detentions.map((d) => (
              <li key={d.id} data-testid="shared-detention" data-detention={d.id}>
                {d.power} · {humanise(d.status)}
                {d.place_of_safety ? ` · ${d.place_of_safety.site_name || humanise(d.place_of_safety.kind)}` : ' · no place of safety yet'}
                {d.place_of_safety?.arrived_at ? `, arrived ${formatTime(d.place_of_safety.arrived_at, now)}` : ''}
                {d.clock.started_at
                  ? ` · clock started ${formatTime(d.clock.started_at, now)}, ends ${formatTime(d.clock.ends_at ?? d.clock.expires_at, now)}`
                  : ' · clock not started'}
                {d.handover.requested_at ? ` · handover requested ${formatTime(d.handover.requested_at, now)}` : ''}
                {d.handover.accepted_at ? `, accepted ${formatTime(d.handover.accepted_at, now)}` : ''}
                {d.handover.officers_left_at ? `, officers left ${formatTime(d.handover.officers_left_at, now)}` : ''}
                {/* Shown while the handover awaits health, and after that only to say why an acceptance was refused. */}
                {acceptAs !== undefined && mayOfferAcceptance(d) && <AcceptHandover detention={d} defaultName={acceptAs} />}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="withheld small" data-testid="withheld">
        {withheld.length === 0
          ? 'Your agreement covers every category.'
          : `Withheld under your agreement: ${withheld.map(categoryLabel).join(', ')}.`}
      </p>
    </article>
  );
}

interface Props {
  id: string;
  user: User;
  onUnauthenticated: () => void;
}

export function SharedIncidentPage({ id, user, onUnauthenticated }: Props) {
  const load = useCallback(async () => {
    const health = await api.get<Health & { now?: string }>('/api/health');
    const incident = await api.get<SharedIncident>(`/api/incidents/${encodeURIComponent(id)}`);
    return { data: incident, seq: health.log_seq, now: health.now };
  }, [id]);
  const live = useLive<SharedIncident>(`shared:${id}`, load, onUnauthenticated, (e) => e.stream === `incident/${id}` || e.stream.startsWith('referral/') || e.stream.startsWith('detention/'));
  const now = useNow(1000, live.skewMs);
  const heading = useRef<HTMLHeadingElement>(null);
  const ready = live.data !== null || live.loadError !== null;
  useEffect(() => heading.current?.focus(), [ready]);
  const agency = user.agency?.name ?? 'your agency';

  return (
    <div className="page partner-page" data-testid="shared-incident-page">
      <p className="back-link">
        <a href="#/partner">← Partner portal</a>
      </p>
      <div className="mh-head">
        <h1 ref={heading} tabIndex={-1}>
          {live.data?.reference ?? 'Shared incident'}
        </h1>
        {live.data && <Freshness status={live.status} clientNow={now - live.skewMs} skewMs={live.skewMs} />}
      </div>
      {live.loadError?.status === 404 ? (
        <div className="error-box" role="alert" data-testid="not-found">
          <p>
            <strong>Not found.</strong> No incident {id} has been shared with {agency}. Incidents are shared by a referral from
            the police.
          </p>
        </div>
      ) : live.loadError || !live.data ? (
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load the incident" />
      ) : (
        <section className="pane">
          <SharedIncidentView incident={live.data} now={now} acceptAs={user.role === 'clinician' ? user.name : undefined} />
          {live.data.referrals.length > 0 && (
            <>
              <h2>Referrals to {agency}</h2>
              <ul>
                {live.data.referrals.map((r) => (
                  <li key={r.id}>
                    {r.id}: {r.type.replace(/_/g, ' ')} — {r.state} (sent {formatTime(r.sent_at, now)})
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}
