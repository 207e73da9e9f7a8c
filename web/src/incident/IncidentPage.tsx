// One incident, live: summary, alerts, assignments with their states,
// recommendations with Dispatch, THRIVE, the log, regrade, close/reopen, and
// the timeline from GET /api/incidents/{id}. Buttons appear only for roles the
// server allows (lib/roles.ts mirrors its table); the server still decides.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { Health, IncidentDetail, Recommendations, Unit, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import { AlertsPane } from '../board/AlertsPane';
import { findMyUnit, incidentTypeLabel, kChannels, kLocationTypes } from '../lib/cad';
import { humanise, incidentTarget, targetPhrase, kGradeNames, normaliseGrade } from '../lib/queue';
import { can, canAcknowledgeAlert, incidentHash, screensFor } from '../lib/roles';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import type { StreamEvent } from '../lib/stream';
import { useLive } from '../live/useLive';
import { FlagList } from '../ui/FlagList';
import { LoadState } from '../ui/LoadState';
import { Pane } from '../ui/Pane';
import { AssignmentsSection } from './AssignmentsSection';
import { LogSection } from './LogSection';
import { ManageSection } from './ManageSection';
import { RecommendationsSection } from './RecommendationsSection';
import { ThriveSection } from './ThriveSection';
import { Timeline } from './Timeline';
import { mentalHealthHash } from '../mh/links';
import { ReferralsSection } from './ReferralsSection';

interface Props {
  id: string;
  user: User;
  onUnauthenticated: () => void;
}

export interface IncidentData {
  incident: IncidentDetail;
  /** The reference of the incident an emergency press was raised at. */
  parentReference: string | null;
  recommendations: Recommendations | null;
  units: Unit[];
}

export function IncidentPage({ id, user, onUnauthenticated }: Props) {
  const role = user.role;
  const mayRecommend = can(role, 'incident.recommend');
  // The incident is read again only after an event on its own stream (or a change made here):
  // each read is a logged access. Units and recommendations follow every unit event.
  const cached = useRef<{ incident: IncidentDetail; parentReference: string | null } | null>(null);
  const incidentDirty = useRef(true);
  const [justification, setJustification] = useState('');
  const load = useCallback(async () => {
    // The log head first: what is read after it is at least that new.
    const health = await api.get<Health & { now?: string }>('/api/health');
    const path = `/api/incidents/${encodeURIComponent(id)}`;
    const readIncident = async () => {
      incidentDirty.current = false;
      try {
        const q = justification ? `?justification=${encodeURIComponent(justification)}` : '';
        const incident = await api.get<IncidentDetail>(path + q);
        const parentReference =
          cached.current?.parentReference ??
          (incident.parent_incident_id
            ? await api
                .get<IncidentDetail>(`/api/incidents/${encodeURIComponent(incident.parent_incident_id)}`)
                .then((p) => p.reference)
                .catch(() => null)
            : null);
        cached.current = { incident, parentReference };
      } catch (err) {
        incidentDirty.current = true;
        throw err;
      }
    };
    const [, units] = await Promise.all([
      incidentDirty.current || !cached.current ? readIncident() : null,
      api.get<{ units: Unit[] }>('/api/units').then((r) => r.units),
    ]);
    const { incident, parentReference } = cached.current!;
    const recommendations =
      mayRecommend && incident.status === 'open'
        ? await api.get<Recommendations>(`${path}/recommendations`).catch(() => null)
        : null;
    return {
      data: { incident, recommendations, units, parentReference },
      seq: health.log_seq,
      now: health.now,
    };
  }, [id, mayRecommend, justification]);
  const relevant = useCallback(
    (e: StreamEvent) => {
      if (e.stream === `incident/${id}`) {
        incidentDirty.current = true;
        return true;
      }
      return e.stream.startsWith('unit/'); // status and fixes change the recommendations
    },
    [id],
  );
  const live = useLive<IncidentData>(`incident:${id}`, load, onUnauthenticated, relevant);
  const liveRefresh = live.refresh;
  /** After a change made on this screen: read the incident again. */
  const changed = useCallback(() => {
    incidentDirty.current = true;
    liveRefresh();
  }, [liveRefresh]);
  const now = useNow(1000, live.skewMs);
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = live.data !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  const inc = live.data?.incident ?? null;
  const units = useMemo(() => live.data?.units ?? [], [live.data]);
  const callSign = useMemo(() => {
    const m = new Map(units.map((u) => [u.id, u.call_sign]));
    for (const a of inc?.assignments ?? []) m.set(a.unit_id, a.call_sign);
    return (unitId: string) => m.get(unitId) ?? unitId.replace(/^unit-/, '');
  }, [units, inc]);
  const myUnit = role === 'officer' ? findMyUnit(units, user.collar) : null;
  const backToBoard = screensFor(role).some((s) => s.id === 'board');

  useEffect(() => {
    if (inc) document.title = `${inc.reference} — Concordat`;
  }, [inc]);

  if (live.loadError?.field === 'justification') {
    return (
      <JustificationForm
        id={id}
        message={live.loadError.message}
        onSubmit={(why) => {
          setJustification(why);
          incidentDirty.current = true;
          live.retry();
        }}
      />
    );
  }
  if (live.loadError || !inc) {
    return (
      <div className="page incident-page">
        {live.loadError && <h1>Incident</h1>}
        <LoadState error={live.loadError} onRetry={live.retry} failed={`Could not load incident ${id}`} loading={`Loading incident ${id}…`} />
      </div>
    );
  }

  const grade = normaliseGrade(inc.grade);
  const target = incidentTarget(inc, now);
  const open = inc.status === 'open';
  // "There": units recorded at the scene, and units the AVL puts there without an assignment.
  const there = inc.assignments.filter((a) => a.state === 'at_scene').length + (inc.present_unassigned?.length ?? 0);
  const channel = kChannels.find((c) => c.code === inc.channel)?.label ?? humanise(inc.channel ?? '');
  const locType = kLocationTypes.find((t) => t.code === inc.location.type)?.label ?? humanise(inc.location.type);
  const clientNow = now - live.skewMs;

  return (
    <div className={`page incident-page${open ? '' : ' is-closed'}`} data-testid="incident-page" data-incident={inc.id}>
      <div className="page-bar">
        {backToBoard && (
          <a href="#/board" className="back-link">
            ← Board
          </a>
        )}
        {role === 'officer' && (
          <a href="#/officer" className="back-link">
            ← My unit
          </a>
        )}
        {can(role, 'detention.read') && (
          <a href={mentalHealthHash(id)} className="back-link" data-testid="mh-link">
            Mental-health records
          </a>
        )}
        <Freshness status={live.status} clientNow={clientNow} skewMs={live.skewMs} />
        {live.refreshError && (
          <span className="warn-text" role="status">
            Refresh failed ({live.refreshError.message}); showing the incident as at{' '}
            {formatTime((live.fetchedAt ?? clientNow) + live.skewMs, now, { seconds: true })}
          </span>
        )}
      </div>
      <header className={`incident-head${target.overdue ? ' overdue' : ''}`}>
        <span className={`grade grade-${grade} grade-lg`} title={kGradeNames[grade] ?? inc.grade}>
          <span className="sr-only">Grade </span>
          {grade}
        </span>
        <div className="incident-head-body">
          <h1 ref={heading} tabIndex={-1}>
            {inc.reference} <span className="incident-head-type">{incidentTypeLabel(inc.type)}</span>
          </h1>
          <p className="incident-head-meta">
            <span className={`pill status-pill status-${inc.status}`} data-testid="incident-status">
              {humanise(inc.status)}
            </span>
            <span className={`target tone-${target.tone}`}>
              {target.overdue && <span aria-hidden="true">⚠ </span>}
              {targetPhrase(target)}
            </span>
            <span className={`attendance${inc.assigned_count < inc.recommended_attendance && open ? ' short' : ''}`}>
              Units {inc.assigned_count} of {inc.recommended_attendance} recommended · {there} at the scene
            </span>
            {inc.resourced && open && <span className="flag flag-resourced">Resourced</span>}
            {inc.emergency && <span className="flag flag-emergency">Emergency button</span>}
          </p>
        </div>
      </header>

      <div className="incident-grid">
        <div className="incident-col">
          <Pane headId="details-h" title="Details">
            <dl className="facts">
              <dt>Where</dt>
              <dd>
                {inc.location.address || 'No address'}
                {inc.location.located !== false && inc.location.lat !== null && inc.location.lon !== null ? (
                  <span className="muted small">
                    {' '}
                    ({inc.location.lat.toFixed(5)}, {inc.location.lon.toFixed(5)})
                  </span>
                ) : (
                  <span className="warn-text small"> Unlocated</span>
                )}
              </dd>
              <dt>Borough · BCU</dt>
              <dd data-testid="incident-where">
                {inc.borough?.name ?? 'No borough'} · {inc.bcu ? `${inc.bcu.name} (${inc.bcu.code})` : 'No BCU'}
              </dd>
              <dt>Location type</dt>
              <dd>{locType}</dd>
              <dt>Received</dt>
              <dd>
                <time dateTime={inc.received_at ?? inc.created_at}>{formatTime(inc.received_at ?? inc.created_at, now)}</time>{' '}
                by {channel}
              </dd>
              {inc.target_at && (
                <>
                  <dt>Target</dt>
                  <dd>
                    <time dateTime={inc.target_at}>{formatTime(inc.target_at, now)}</time>
                    {inc.first_arrival_at && (
                      <> · first arrival {formatTime(inc.first_arrival_at, now)}</>
                    )}
                  </dd>
                </>
              )}
              {(inc.caller?.name || inc.caller?.phone) && (
                <>
                  <dt>Caller</dt>
                  <dd>{[inc.caller.name, inc.caller.phone].filter(Boolean).join(' · ')}</dd>
                </>
              )}
              {inc.flags.length > 0 && (
                <>
                  <dt>Flags</dt>
                  <dd>
                    <FlagList flags={inc.flags} />
                  </dd>
                </>
              )}
              {inc.parent_incident_id && (
                <>
                  <dt>Raised at</dt>
                  <dd>
                    <a href={incidentHash(inc.parent_incident_id)}>{live.data?.parentReference ?? inc.parent_incident_id}</a>
                  </dd>
                </>
              )}
              {!open && (
                <>
                  <dt>Result</dt>
                  <dd>
                    {humanise(inc.result_code)}
                    {inc.summary && ` — ${inc.summary}`}
                    {inc.closed_at && <span className="muted"> (closed {formatTime(inc.closed_at, now)})</span>}
                  </dd>
                </>
              )}
            </dl>
            {inc.description && <p className="incident-description">{inc.description}</p>}
          </Pane>

          {inc.alerts.some((a) => !a.acknowledged_at) && (
            <AlertsPane
              alerts={inc.alerts.filter((a) => !a.acknowledged_at)}
              incidents={[inc]}
              units={units}
              now={now}
              canAcknowledge={(a) => canAcknowledgeAlert(role, a)}
              canStandDown={can(role, 'assignment.stand_down')}
              onChanged={changed}
              title="Alerts on this incident"
              headingLevel={2}
              hideIncident
            />
          )}

          <AssignmentsSection incident={inc} role={role} myUnitId={myUnit?.id ?? null} now={now} callSign={callSign} onChanged={changed} />
          {mayRecommend && open && (
            <RecommendationsSection incident={inc} recommendations={live.data?.recommendations ?? null} role={role} onChanged={changed} />
          )}
        </div>
        <div className="incident-col">
          <ThriveSection incident={inc} role={role} now={now} onChanged={changed} />
          <LogSection incident={inc} role={role} now={now} onChanged={changed} />
          {can(role, 'referral.create') && (
            <ReferralsSection incident={inc} now={now} version={`${inc.timeline?.length ?? 0}:${live.fetchedAt ?? 0}`} />
          )}
          <ManageSection incident={inc} role={role} onChanged={changed} />
          <Timeline events={inc.timeline ?? []} now={now} callSign={callSign} role={role} />
        </div>
      </div>
    </div>
  );
}

/** Reading a closed incident outside current work needs a stated reason, which is logged. */
function JustificationForm({ id, message, onSubmit }: { id: string; message: string; onSubmit: (why: string) => void }) {
  const [why, setWhy] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (why.trim()) onSubmit(why.trim());
  }
  return (
    <div className="page incident-page">
      <h1>Incident {id}</h1>
      <form className="pane justification" onSubmit={submit}>
        <p className="notice">{message}</p>
        <div className="field">
          <label htmlFor="justification">Why you need to read this incident (recorded)</label>
          <input id="justification" ref={input} value={why} onChange={(e) => setWhy(e.target.value)} autoComplete="off" />
        </div>
        <button type="submit" className="primary" disabled={!why.trim()}>
          Read the incident
        </button>
      </form>
    </div>
  );
}
