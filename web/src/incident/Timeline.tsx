import type { TimelineEvent } from '../api/types';
import { describeEvent } from '../lib/cad';
import { personLabel } from '../lib/people';
import type { Person } from '../lib/people';
import { roleLabel } from '../lib/roles';
import { formatTime } from '../lib/time';
import { usePeopleFor } from '../live/usePeople';
import { Pane } from '../ui/Pane';

interface Props {
  events: TimelineEvent[];
  now: number;
  callSign: (unitId: string) => string;
  /** The reader's role: names are looked up for roles that may read them. */
  role: string;
}

export function Timeline({ events, now, callSign, role }: Props) {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const person = usePeopleFor(
    role,
    events.map((e) => e.actor.user_id),
  );
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
                {actorLabel(e.actor, person(e.actor.user_id))}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Pane>
  );
}

/**
 * Who did it, in words: "Sam Patel (AW1234), controller" once the name is
 * known, the role alone until then; "System" for the engine's own timers and rules.
 */
export function actorLabel(actor: { user_id: string; role: string }, person?: Person | null): string {
  if (actor.role === 'system' || actor.user_id === 'system') return 'System';
  if (actor.user_id === 'seed') return 'Demo seed';
  if (person) return `${personLabel(person)}, ${roleLabel(actor.role).toLowerCase()}`;
  return roleLabel(actor.role);
}
