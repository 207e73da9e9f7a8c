import type { TimelineEvent } from '../api/types';
import { describeEvent } from '../lib/cad';
import { roleLabel } from '../lib/roles';
import { formatTime } from '../lib/time';
import { Pane } from '../ui/Pane';

interface Props {
  events: TimelineEvent[];
  now: number;
  callSign: (unitId: string) => string;
}

export function Timeline({ events, now, callSign }: Props) {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  return (
    <Pane headId="timeline-h" title="Timeline" count={<>{sorted.length} {sorted.length === 1 ? 'event' : 'events'}, oldest first</>} testId="timeline">
      {sorted.length === 0 ? (
        <p className="empty">No events.</p>
      ) : (
        // tabIndex: the list scrolls on its own; keyboard users scroll it too.
        <ol className="timeline" tabIndex={0} aria-labelledby="timeline-h">
          {sorted.map((e) => (
            <li key={e.seq} className={`tl tl-${e.type.replace(/\./g, '-')}`} data-testid="timeline-event" data-type={e.type}>
              <time dateTime={e.at} className="tl-time">
                {formatTime(e.at, now, { seconds: true })}
              </time>
              <span className="tl-text">{describeEvent(e, callSign)}</span>
              <span className="tl-actor muted small" title={e.actor.user_id}>
                {actorLabel(e.actor)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Pane>
  );
}

/** Who did it, in words: "Controller", "System" for the engine's own timers and rules. */
function actorLabel(actor: { user_id: string; role: string }): string {
  if (actor.role === 'system' || actor.user_id === 'system') return 'System';
  if (actor.user_id === 'seed') return 'Demo seed';
  return roleLabel(actor.role);
}
