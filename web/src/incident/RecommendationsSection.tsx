import { api } from '../api/instance';
import type { IncidentDetail, Recommendations } from '../api/types';
import { formatDistance, isActiveAssignment } from '../lib/cad';
import { canDispatch } from '../lib/roles';
import { useCommands } from '../live/useCommands';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';
import { Pane } from '../ui/Pane';

interface Props {
  incident: IncidentDetail;
  recommendations: Recommendations | null;
  role: string;
  onChanged: () => void;
}

export function RecommendationsSection({ incident, recommendations, role, onChanged }: Props) {
  const cmd = useCommands();
  const mayDispatch = canDispatch(role);
  const assigned = new Set(incident.assignments.filter((a) => isActiveAssignment(a.state)).map((a) => a.unit_id));
  const units = (recommendations?.units ?? []).filter((u) => !assigned.has(u.unit_id));

  async function dispatch(unitId: string, callSign: string) {
    // Another controller may dispatch the unit first: the live update then takes it off this
    // list, and the refusal is shown above it (DetachedCommandErrors).
    const r = await cmd.run(
      `dispatch:${unitId}`,
      () =>
        api.send('POST', `/api/incidents/${encodeURIComponent(incident.id)}/assignments`, {
          unit_id: unitId,
          mode: 'dispatched',
        }),
      { what: `Dispatch ${callSign}` },
    );
    if (r.ok) onChanged();
  }

  return (
    <Pane headId="recs-h" title="Recommended units" count={
        incident.flags.includes('mental_health') || incident.type === 'mental_health'
          ? 'best first: arrival time, mental-health-trained crews preferred'
          : 'by estimated arrival'
      } testId="recommendations">
      <DetachedCommandErrors cmd={cmd} />
      {!recommendations ? (
        <p className="empty">Recommendations are not available.</p>
      ) : units.length === 0 ? (
        <div className="empty">
          <p>No unit to recommend.</p>
          {recommendations.why_none.map((w) => (
            <p key={w} className="small">
              {w}
            </p>
          ))}
        </div>
      ) : (
        <ol className="recommendations">
          {units.map((u) => (
            <li key={u.unit_id} className="recommendation" data-testid="recommendation" data-unit={u.unit_id}>
              <div className="recommendation-top">
                <strong className="call-sign">{u.call_sign}</strong>
                <span className="muted small">
                  {u.bcu} · {formatDistance(u.distance_m)} · ETA about {Math.max(1, Math.round(u.eta_seconds / 60))} min
                </span>
                {u.mental_health_trained && <span className="skill-badge">MH trained</span>}
                {mayDispatch && (
                  <button
                    type="button"
                    className="primary small push-right"
                    disabled={cmd.pending(`dispatch:${u.unit_id}`)}
                    onClick={() => void dispatch(u.unit_id, u.call_sign)}
                  >
                    {cmd.pending(`dispatch:${u.unit_id}`) ? 'Dispatching…' : 'Dispatch'}
                    <span className="sr-only"> {u.call_sign}</span>
                  </button>
                )}
              </div>
              <ul className="reasons small">
                {u.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <CommandError cmd={cmd} action={`dispatch:${u.unit_id}`} />
            </li>
          ))}
        </ol>
      )}
    </Pane>
  );
}
