import type { TimelineEvent } from '../api/types';
import { describeEvent } from '../lib/cad';
import { formatTime } from '../lib/time';

interface Props {
  events: TimelineEvent[];
  now: number;
  callSign: (unitId: string) => string;
}

export function Timeline({ events, now, callSign }: Props) {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  return (
    <section className="pane" aria-labelledby="timeline-h" data-testid="timeline">
      <div className="pane-head">
        <h2 id="timeline-h">Timeline</h2>
        <span className="pane-count">{sorted.length} events, oldest first</span>
      </div>
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
              <span className="tl-actor muted small">{e.actor.user_id}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
