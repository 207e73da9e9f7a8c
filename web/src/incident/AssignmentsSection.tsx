import { api } from '../api/instance';
import type { Assignment, IncidentDetail } from '../api/types';
import { allowedTransitions, assignmentStateLabel, likelyNext, isActiveAssignment, sortAssignments } from '../lib/cad';
import { can } from '../lib/roles';
import { formatTime } from '../lib/time';
import { useCommands } from '../live/useCommands';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';
import { ListOrEmpty, Pane } from '../ui/Pane';

interface Props {
  incident: IncidentDetail;
  role: string;
  /** An officer's own unit: the only assignment they may change. */
  myUnitId: string | null;
  now: number;
  callSign: (unitId: string) => string;
  onChanged: () => void;
}

const kButtonLabels: Record<string, string> = {
  en_route: 'En route',
  at_scene: 'At scene',
  left_scene: 'Left scene',
  cleared: 'Clear',
};

/** The time of the assignment's current state. */
function stateTime(a: Assignment): string {
  switch (a.state) {
    case 'en_route':
      return a.en_route_at ?? a.assigned_at;
    case 'at_scene':
      return a.at_scene_at ?? a.assigned_at;
    case 'left_scene':
      return a.left_scene_at ?? a.assigned_at;
    case 'cleared':
      return a.cleared_at ?? a.assigned_at;
    case 'stood_down':
      return a.stood_down_at ?? a.assigned_at;
    default:
      return a.assigned_at;
  }
}

export function AssignmentsSection({ incident, role, myUnitId, now, callSign, onChanged }: Props) {
  const cmd = useCommands();
  const open = incident.status === 'open';
  const mayUpdate = (unitId: string) =>
    open && can(role, 'assignment.update') && (role !== 'officer' || unitId === myUnitId);
  const mayStandDown = open && can(role, 'assignment.stand_down');
  const list = sortAssignments(incident.assignments);
  const active = list.filter((a) => isActiveAssignment(a.state));
  const notAtScene = active.filter((a) => a.state !== 'at_scene');
  const base = `/api/incidents/${encodeURIComponent(incident.id)}`;

  async function setState(a: Assignment, state: string) {
    const r = await cmd.run(
      `state:${a.unit_id}`,
      () => api.send('POST', `${base}/assignments/${encodeURIComponent(a.unit_id)}/state`, { state }),
      { what: `${a.call_sign} ${(kButtonLabels[state] ?? state).toLowerCase()}` },
    );
    if (r.ok) onChanged();
  }
  async function standDown(body: Record<string, unknown>, key: string, what: string) {
    const r = await cmd.run(key, () => api.send('POST', `${base}/stand-down`, body), { what });
    if (r.ok) onChanged();
  }

  return (
    <Pane headId="assignments-h" title="Assignments" count={<>{active.length} active · {list.length - active.length} finished</>} testId="assignments">
      <DetachedCommandErrors cmd={cmd} />
      <ListOrEmpty empty="No units assigned yet." className="assignments">
        {list.map((a) => {
          const next = mayUpdate(a.unit_id) ? allowedTransitions(a.state) : [];
          const activeNow = isActiveAssignment(a.state);
          return (
            <li
              key={a.unit_id}
              className={`assignment state-${a.state}`}
              data-testid="assignment"
              data-unit={a.unit_id}
              data-state={a.state}
            >
              <div className="assignment-top">
                <strong className="call-sign">{a.call_sign}</strong>
                <span className={`pill state-pill state-${a.state}`} data-testid="assignment-state">
                  {assignmentStateLabel(a.state)}
                </span>
                <span className="muted small">
                  {a.mode === 'self_deployed' ? 'Self-deployed' : a.dispatched_by?.startsWith('system:') ? 'Dispatched automatically' : 'Dispatched'}{' '}
                  <time dateTime={a.assigned_at}>{formatTime(a.assigned_at, now)}</time>
                  {a.state !== 'assigned' && (
                    <>
                      {' · '}
                      {assignmentStateLabel(a.state).toLowerCase()} <time dateTime={stateTime(a)}>{formatTime(stateTime(a), now)}</time>
                    </>
                  )}
                </span>
              </div>
              {(a.after_advisory || a.reason) && (
                <p className="small assignment-reason">
                  {a.after_advisory && <span className="flag flag-advisory">After advisory</span>} {a.reason}
                </p>
              )}
              {activeNow && (next.length > 0 || mayStandDown) && (
                <div className="button-row" role="group" aria-label={`${a.call_sign} actions`}>
                  {next.map((s) => (
                    <button
                      key={s}
                      type="button"
                      className={s === likelyNext(a.state) ? 'primary small' : 'small'}
                      disabled={cmd.pending(`state:${a.unit_id}`)}
                      onClick={() => void setState(a, s)}
                    >
                      {kButtonLabels[s] ?? s}
                      <span className="sr-only"> {a.call_sign}</span>
                    </button>
                  ))}
                  {mayStandDown && (
                    <button
                      type="button"
                      className="danger-outline small"
                      disabled={cmd.pending(`sd:${a.unit_id}`)}
                      onClick={() => void standDown({ unit_ids: [a.unit_id] }, `sd:${a.unit_id}`, `Stand down ${a.call_sign}`)}
                    >
                      Stand down<span className="sr-only"> {a.call_sign}</span>
                    </button>
                  )}
                </div>
              )}
              <CommandError cmd={cmd} action={[`state:${a.unit_id}`, `sd:${a.unit_id}`]} />
            </li>
          );
        })}
      </ListOrEmpty>
      {incident.present_unassigned.length > 0 && (
        <p className="warn-text small present-unassigned">
          Present without an assignment: {incident.present_unassigned.map(callSign).join(', ')}
        </p>
      )}
      {mayStandDown && notAtScene.length > 0 && (
        <div className="section-actions">
          <button
            type="button"
            className="danger small"
            disabled={cmd.pending('sd:all')}
            onClick={() => void standDown({ all_not_at_scene: true }, 'sd:all', 'Stand down all not at scene')}
          >
            Stand down all not at scene ({notAtScene.length})
          </button>
          <CommandError cmd={cmd} action="sd:all" />
        </div>
      )}
    </Pane>
  );
}
