// The officer's view, laid out for a phone (390 px): status prompts for my
// unit first, the emergency button, my assignments with their state buttons,
// my unit's status, and open incidents nearby with Self-deploy — which, when
// the incident already has the recommended units, shows the server's
// "sufficient resources" advisory and asks for a reason before confirming.
// When a controller or supervisor stands the unit down, the screen says so —
// from which incident, by whom, when and why — until the officer dismisses it.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api } from '../api/instance';
import type { Alert, Board, Incident, IncidentDetail, SelfDeployAdvisory, Unit, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import {
  allowedTransitions,
  assignmentStateLabel,
  findMyUnit,
  formatDistance,
  incidentTypeLabel,
  isActiveAssignment,
  likelyNext,
  kUnitStatuses,
  kNearbyMetres,
  nearbyIncidents,
  openStatusPrompts,
  readAdvisory,
  unitIncidentIds,
} from '../lib/cad';
import { humanise, incidentTarget, targetPhrase, normaliseGrade } from '../lib/queue';
import { can, incidentHash } from '../lib/roles';
import { detentionHash, mentalHealthHash } from '../mh/links';
import type { BoardDetention } from '../api/mh';
import { boardClockView } from '../lib/detention';
import { personLabel } from '../lib/people';
import { incidentsGone, loadOfficerMemory, resourcedWording, saveOfficerMemory, standDownOf, standDownText, withNotices } from '../lib/officerNotices';
import type { StandDownNotice } from '../lib/officerNotices';
import { formatFixAge } from '../lib/time';
import { useNow } from '../lib/useNow';
import { countOf } from '../lib/plural';
import { unitStatusTone } from '../lib/units';
import { useCommands } from '../live/useCommands';
import { usePeopleFor } from '../live/usePeople';
import type { Commands } from '../live/useCommands';
import type { StreamEvent } from '../lib/stream';
import { useLive } from '../live/useLive';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';
import { FlagList } from '../ui/FlagList';
import { LoadState } from '../ui/LoadState';
import { ListOrEmpty, Pane } from '../ui/Pane';

interface OfficerData {
  board: Board;
  unit: Unit | null;
  /** Full incidents my unit is assigned to (active first). */
  mine: IncidentDetail[];
}

interface Props {
  user: User;
  onUnauthenticated: () => void;
}

const kStateButtons: Record<string, string> = {
  en_route: 'En route',
  at_scene: 'At scene',
  left_scene: 'Left scene',
  cleared: 'Clear',
};

/** Moves the unit's assignment at an incident to a new state. */
function sendState(incidentId: string, unitId: string, state: string) {
  return api.send('POST', `/api/incidents/${encodeURIComponent(incidentId)}/assignments/${encodeURIComponent(unitId)}/state`, { state });
}

export function OfficerPage({ user, onUnauthenticated }: Props) {
  // My incidents are read again only after an event on their own stream (each read is a logged
  // access); the board is read after every event.
  const details = useRef(new Map<string, IncidentDetail>());
  const dirty = useRef(new Set<string>());
  // Stand-downs not yet dismissed; kept for the session (lib/officerNotices.ts).
  const [notices, setNotices] = useState<StandDownNotice[]>(() => loadOfficerMemory(user.id)?.notices ?? []);
  const person = usePeopleFor(
    user.role,
    notices.map((n) => n.by_user),
  );
  const standDownName = (id: string) => {
    const p = person(id);
    return p ? personLabel(p) : undefined;
  };
  const load = useCallback(async () => {
    const board = await api.get<Board>('/api/board');
    let collar = user.collar;
    if (!collar) collar = (await api.get<User>('/api/auth/me')).collar;
    const unit = findMyUnit(board.units, collar);
    const ids = unit ? unitIncidentIds(unit) : [];
    if (unit) {
      // An incident the unit had and has no more: ask the incident why. A stand-down by someone
      // else is told; the unit's own "Clear" and a closed incident are not.
      const memory = loadOfficerMemory(user.id);
      const found: StandDownNotice[] = [];
      for (const id of incidentsGone(memory, unit.id, ids)) {
        try {
          const n = standDownOf(await api.get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`), unit.id);
          if (n && n.by_user !== user.id) found.push(n);
        } catch {
          // No longer readable: nothing to tell.
        }
      }
      const kept = withNotices(memory?.notices ?? [], found);
      saveOfficerMemory(user.id, { unit_id: unit.id, known: ids, notices: kept });
      setNotices(kept);
    }
    const mine = await Promise.all(
      ids.map(async (id) => {
        const had = details.current.get(id);
        if (had && !dirty.current.has(id)) return had;
        dirty.current.delete(id);
        try {
          const inc = await api.get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`);
          details.current.set(id, inc);
          return inc;
        } catch (err) {
          dirty.current.add(id);
          throw err;
        }
      }),
    );
    for (const id of [...details.current.keys()]) if (!ids.includes(id)) details.current.delete(id);
    return { data: { board, unit, mine }, seq: board.seq, now: board.now };
  }, [user.collar, user.id]);
  const relevant = useCallback((e: StreamEvent) => {
    const m = /^incident\/(.+)$/.exec(e.stream);
    if (m) dirty.current.add(m[1]);
    return true;
  }, []);
  const live = useLive<OfficerData>('officer', load, onUnauthenticated, relevant);
  const now = useNow(1000, live.skewMs);
  const cmd = useCommands();
  const heading = useRef<HTMLHeadingElement>(null);
  // The heading is a new element once the unit has loaded: focus it then, not only on mount.
  const ready = live.data !== null || live.loadError !== null;
  useEffect(() => heading.current?.focus(), [ready]);

  const d = live.data;
  const unit = d?.unit ?? null;
  const clientNow = now - live.skewMs;

  const bar = (
    <div className="page-bar">
      <Freshness status={live.status} clientNow={clientNow} skewMs={live.skewMs} />
      {live.refreshError && (
        <span className="warn-text" role="status">
          Refresh failed: {live.refreshError.message}
        </span>
      )}
    </div>
  );

  const title = (
    <h1 ref={heading} tabIndex={-1}>
      My unit
    </h1>
  );
  if (live.loadError || !d) {
    return (
      <div className="page officer">
        {title}
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load your unit" loading="Loading your unit…" />
      </div>
    );
  }
  if (!unit) {
    return (
      <div className="page officer">
        {title}
        {bar}
        <p className="notice">
          No unit on the board is crewed by your collar number{user.collar ? ` ${user.collar}` : ''}. Ask your
          supervisor to book you on to a unit.
        </p>
      </div>
    );
  }

  const myStates = new Map<string, string>();
  for (const inc of d.mine) {
    const a = inc.assignments.find((x) => x.unit_id === unit.id);
    if (a) myStates.set(inc.id, a.state);
  }
  const prompts = openStatusPrompts(d.board.alerts, unit.id, myStates);
  const mineIds = new Set(d.mine.map((i) => i.id));
  const nearby = nearbyIncidents(d.board.incidents, unit, mineIds, 8);
  const emergencyIncident = d.board.incidents.find((i) => i.emergency && i.status === 'open' && mineIds.has(i.id));

  const after = () => {
    for (const id of details.current.keys()) dirty.current.add(id);
    live.refresh();
  };
  const dismiss = (n: StandDownNotice) => {
    const left = notices.filter((x) => x !== n);
    const memory = loadOfficerMemory(user.id);
    if (memory) saveOfficerMemory(user.id, { ...memory, notices: left });
    setNotices(left);
  };

  return (
    <div className="page officer" data-testid="officer-page" data-unit={unit.id}>
      <div className="officer-head">
        <h1 ref={heading} tabIndex={-1}>
          <span className="sr-only">My unit: </span>
          {unit.call_sign}
        </h1>
        <span className={`status status-${unitStatusTone(unit.status)}`} data-testid="my-status">
          {humanise(unit.status)}
        </span>
        <span className="muted small">{formatFixAge(unit.location?.fixed_at, now)}</span>
        <Freshness status={live.status} clientNow={clientNow} skewMs={live.skewMs} />
      </div>
      {live.refreshError && (
        <p className="warn-text" role="status">
          Refresh failed: {live.refreshError.message}
        </p>
      )}

      {notices.map((n) => (
        <div key={`${n.incident_id}:${n.at}`} className="notice stood-down" role="alert" data-testid="stood-down">
          <p>{standDownText(n, now, standDownName(n.by_user))}</p>
          <button type="button" className="small" onClick={() => dismiss(n)}>
            Dismiss<span className="sr-only"> the stand-down from {n.reference}</span>
          </button>
        </div>
      ))}

      {/* Refusals whose button has gone (the assignment or the prompt went in the same update). */}
      <DetachedCommandErrors cmd={cmd} />

      {prompts.map((a) => (
        <StatusPrompt key={a.id} alert={a} unitId={unit.id} cmd={cmd} onDone={after} />
      ))}

      <EmergencySection unit={unit} incidentRef={emergencyIncident?.reference ?? null} cmd={cmd} onDone={after} />

      <Pane headId="mine-h" title="My assignments" count={d.mine.length} testId="my-assignments">
        <ListOrEmpty empty="None. Self-deploy to an incident below, or wait to be dispatched." className="my-assignments">
          {d.mine.map((inc) => (
            <MyAssignment
              key={inc.id}
              incident={inc}
              unitId={unit.id}
              now={now}
              cmd={cmd}
              onDone={after}
              mentalHealth={can(user.role, 'detention.read')}
              detentions={(d.board.detentions ?? []).filter((x) => x.incident_id === inc.id)}
            />
          ))}
        </ListOrEmpty>
      </Pane>

      <Pane headId="status-h" title="Unit status" count={<>now {humanise(unit.status).toLowerCase()}</>}>
        <div className="status-grid" role="group" aria-labelledby="status-h">
          {kUnitStatuses.map((s) => (
            <button
              key={s}
              type="button"
              className={`status-button tone-${unitStatusTone(s)}`}
              aria-pressed={unit.status === s}
              disabled={cmd.pending('status')}
              onClick={() =>
                void cmd
                  .run('status', () => api.send('POST', `/api/units/${encodeURIComponent(unit.id)}/status`, { status: s }))
                  .then((r) => r.ok && after())
              }
            >
              {/* Not by colour alone: the current status says so (the assignment buttons above, filled
                  too, are the next step to take, not a state). */}
              {unit.status === s && <span aria-hidden="true">✓ </span>}
              {humanise(s)}
              {unit.status === s && (
                <span className="small" aria-hidden="true">
                  {' '}
                  (now)
                </span>
              )}
            </button>
          ))}
        </div>
        <CommandError cmd={cmd} action="status" />
      </Pane>

      <Pane headId="nearby-h" title="Open incidents nearby" count={`nearest first, within ${kNearbyMetres / 1000} km`} testId="nearby">
        <ListOrEmpty empty="No other open incidents." className="nearby">
          {nearby.map(({ incident, distance_m }) => (
            <NearbyItem
              key={incident.id}
              incident={incident}
              distance={distance_m}
              unitId={unit.id}
              now={now}
              onDone={after}
            />
          ))}
        </ListOrEmpty>
      </Pane>
    </div>
  );
}

function StatusPrompt({ alert, unitId, cmd, onDone }: { alert: Alert; unitId: string; cmd: Commands; onDone: () => void }) {
  const key = `prompt:${alert.id}`;
  return (
    <div className="prompt" role="alert" data-testid="status-prompt">
      <p className="prompt-text">
        <strong>Update your status.</strong> {alert.message}
      </p>
      {alert.incident_id && (
        <button
          type="button"
          className="primary big"
          disabled={cmd.pending(key)}
          onClick={() =>
            void cmd
              .run(key, () => sendState(alert.incident_id!, unitId, 'at_scene'), { what: 'I am at scene' })
              .then((r) => r.ok && onDone())
          }
        >
          I am at scene
        </button>
      )}
      <CommandError cmd={cmd} action={key} />
    </div>
  );
}

function EmergencySection({
  unit,
  incidentRef,
  cmd,
  onDone,
}: {
  unit: Unit;
  incidentRef: string | null;
  cmd: Commands;
  onDone: () => void;
}) {
  const base = `/api/units/${encodeURIComponent(unit.id)}`;
  if (unit.emergency) {
    return (
      <section className="emergency-active" aria-labelledby="emergency-h" data-testid="emergency-active">
        <h2 id="emergency-h">Emergency active{incidentRef ? ` — ${incidentRef}` : ''}</h2>
        <p>Units are on their way. Cancel only when you are safe.</p>
        <button
          type="button"
          className="ok-button"
          disabled={cmd.pending('emergency')}
          onClick={() => void cmd.run('emergency', () => api.send('POST', `${base}/emergency/cancel`, { note: 'all OK' })).then((r) => r.ok && onDone())}
        >
          All OK — cancel emergency
        </button>
        <CommandError cmd={cmd} action="emergency" className="form-error on-dark" />
      </section>
    );
  }
  return (
    <section className="emergency" aria-label="Emergency">
      <button
        type="button"
        className="emergency-button"
        disabled={cmd.pending('emergency')}
        aria-describedby="emergency-hint"
        onClick={() => void cmd.run('emergency', () => api.send('POST', `${base}/emergency`, {})).then((r) => r.ok && onDone())}
      >
        {cmd.pending('emergency') ? 'Sending…' : 'Emergency'}
      </button>
      <p id="emergency-hint" className="muted small">
        Calls urgent assistance to your last location ({unit.call_sign}).
      </p>
      <CommandError cmd={cmd} action="emergency" />
    </section>
  );
}

/** An incident card's first line: the grade, the reference (linked), then `children`. */
function CardTop({ incident, titleId, children }: { incident: Incident; titleId?: string; children: ReactNode }) {
  const grade = normaliseGrade(incident.grade);
  return (
    <div className="assignment-top">
      <span className={`grade grade-${grade}`}>
        <span className="sr-only">Grade </span>
        {grade}
      </span>
      <a id={titleId} href={incidentHash(incident.id)} className="incident-ref">
        {incident.reference}
      </a>
      {children}
    </div>
  );
}

function WhatAndWhere({ incident }: { incident: Incident }) {
  return (
    <p>
      <strong>{incidentTypeLabel(incident.type)}</strong> · {incident.location.address || 'No address'}
    </p>
  );
}

function TargetAndUnits({ incident, now }: { incident: Incident; now: number }) {
  const target = incidentTarget(incident, now);
  return (
    <p className="small">
      <span className={`target tone-${target.tone}`}>{targetPhrase(target)}</span> · Units {incident.assigned_count} of{' '}
      {incident.recommended_attendance}
    </p>
  );
}

function MyAssignment({
  incident,
  unitId,
  now,
  cmd,
  onDone,
  mentalHealth,
  detentions,
}: {
  incident: IncidentDetail;
  unitId: string;
  now: number;
  cmd: Commands;
  onDone: () => void;
  mentalHealth: boolean;
  detentions: BoardDetention[];
}) {
  const a = incident.assignments.find((x) => x.unit_id === unitId);
  const state = a?.state ?? 'assigned';
  const next = a && isActiveAssignment(state) && incident.status === 'open' ? allowedTransitions(state) : [];
  const key = `state:${incident.id}`;
  return (
    <li className="my-assignment" data-testid="my-assignment" data-incident={incident.id} data-state={state}>
      <CardTop incident={incident}>
        <span className={`pill state-pill state-${state}`} data-testid="my-assignment-state">
          {assignmentStateLabel(state)}
        </span>
      </CardTop>
      <WhatAndWhere incident={incident} />
      {incident.description && <p className="small muted">{incident.description}</p>}
      <TargetAndUnits incident={incident} now={now} />
      {incident.flags.length > 0 && <FlagList flags={incident.flags} />}
      {next.length > 0 && (
        <div className="button-row big-buttons" role="group" aria-label={`My state at ${incident.reference}`}>
          {next.map((s) => (
            <button
              key={s}
              type="button"
              className={s === likelyNext(state) ? 'primary' : ''}
              disabled={cmd.pending(key)}
              onClick={() =>
                void cmd
                  .run(key, () => sendState(incident.id, unitId, s), { what: `${kStateButtons[s] ?? humanise(s)} at ${incident.reference}` })
                  .then((r) => r.ok && onDone())
              }
            >
              {kStateButtons[s] ?? humanise(s)}
            </button>
          ))}
        </div>
      )}
      <CommandError cmd={cmd} action={key} />
      {mentalHealth &&
        detentions.map((x) => {
          const c = boardClockView(x, now);
          return (
            <p key={x.id} className="small" data-testid="my-detention">
              <a href={detentionHash(x.id)}>
                {x.power} {x.id}
              </a>{' '}
              <span className={`clock-inline tone-${c.tone}`}>{c.text}</span>
            </p>
          );
        })}
      {mentalHealth && (
        <p>
          <a className="button-link" href={mentalHealthHash(incident.id)} data-testid="mh-link">
            s136 / s135, NDM and force records<span className="sr-only"> for {incident.reference}</span>
          </a>
        </p>
      )}
    </li>
  );
}

function NearbyItem({
  incident,
  distance,
  unitId,
  now,
  onDone,
}: {
  incident: Board['incidents'][number];
  distance: number | null;
  unitId: string;
  now: number;
  onDone: () => void;
}) {
  const cmd = useCommands();
  const [advisory, setAdvisory] = useState<SelfDeployAdvisory | null>(null);
  const [advisoryText, setAdvisoryText] = useState('');
  const [reason, setReason] = useState('');
  const [deployed, setDeployed] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const url = `/api/incidents/${encodeURIComponent(incident.id)}/assignments`;
  const titleId = `nearby-${incident.id}`;
  const resourced = resourcedWording(incident);

  useEffect(() => {
    if (advisory) reasonRef.current?.focus();
  }, [advisory]);

  async function selfDeploy() {
    const r = await cmd.run('deploy', () => api.send('POST', url, { unit_id: unitId, mode: 'self_deployed' }), {
      quiet: (e) => readAdvisory(e) !== null,
    });
    if (r.ok) {
      setDeployed(true);
      onDone();
      return;
    }
    const adv = readAdvisory(r.error);
    if (adv) {
      setAdvisory(adv);
      setAdvisoryText(r.error instanceof Error ? r.error.message : '');
    }
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      reasonRef.current?.focus();
      return;
    }
    const r = await cmd.run('confirm', () =>
      api.send('POST', url, { unit_id: unitId, mode: 'self_deployed', confirm: true, reason: reason.trim() }),
    );
    if (r.ok) {
      setAdvisory(null);
      setDeployed(true);
      onDone();
    }
  }

  return (
    <li className="nearby-item" data-testid="nearby-incident" data-incident={incident.id} aria-labelledby={titleId}>
      <CardTop incident={incident} titleId={titleId}>
        <span className="muted small">{distance === null ? 'distance unknown' : formatDistance(distance)}</span>
        {incident.resourced && <span className="flag flag-resourced">Enough units</span>}
      </CardTop>
      <WhatAndWhere incident={incident} />
      <TargetAndUnits incident={incident} now={now} />
      {resourced && (
        <p className={`resourced-note${incident.emergency ? ' emergency' : ''}`} data-testid="resourced-note">
          {resourced}
        </p>
      )}
      {!advisory && !deployed && (
        <button type="button" className="primary" disabled={cmd.pending('deploy')} onClick={() => void selfDeploy()}>
          {cmd.pending('deploy') ? 'Self-deploying…' : 'Self-deploy'}
          <span className="sr-only"> to {incident.reference}</span>
        </button>
      )}
      {deployed && <p role="status" className="ok-text">Self-deployed. It is in My assignments.</p>}
      <CommandError cmd={cmd} action="deploy" />
      {advisory && (
        <form className="advisory" onSubmit={(e) => void confirm(e)} aria-labelledby={`adv-h-${incident.id}`} data-testid="advisory">
          <h3 id={`adv-h-${incident.id}`}>Advisory: {advisory.reference || incident.reference} is resourced</h3>
          <p data-testid="advisory-text">
            {advisoryText ||
              `${advisory.reference} already has ${advisory.assigned} of ${countOf(advisory.recommended, 'unit')}.`}
          </p>
          <p className="small">
            Assigned {advisory.assigned} of {advisory.recommended} recommended · {advisory.attending} attending. Do not
            self-deploy without a reason: it is recorded.
          </p>
          <label htmlFor={`reason-${incident.id}`}>Reason for self-deploying</label>
          <textarea
            id={`reason-${incident.id}`}
            ref={reasonRef}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby={cmd.error('confirm') ? `confirm-err-${incident.id}` : undefined}
          />
          <CommandError cmd={cmd} action="confirm" id={`confirm-err-${incident.id}`} />
          <div className="button-row">
            <button type="submit" className="danger" disabled={cmd.pending('confirm') || !reason.trim()}>
              Self-deploy anyway
            </button>
            <button
              type="button"
              onClick={() => {
                setAdvisory(null);
                setReason('');
              }}
            >
              Do not deploy
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

