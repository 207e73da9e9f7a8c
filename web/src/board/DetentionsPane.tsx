// Live s136/s135 detentions on the board, soonest end first (the server's
// order), with their clocks and handover waits; and the places of safety with
// a free suite. Detentions open on the detention screen for roles that may
// read them.

import type { BoardDetention, PlaceOfSafety } from '../api/mh';
import { boardClockView, handoverWaitMinutes } from '../lib/detention';
import { can } from '../lib/roles';
import { detentionHash } from '../mh/links';

interface Props {
  detentions: BoardDetention[];
  places: PlaceOfSafety[];
  role: string;
  now: number;
}

export function DetentionsPane({ detentions, places, role, now }: Props) {
  const mayOpen = can(role, 'detention.read');
  const open = places.filter((p) => p.open && p.suites_free > 0);
  return (
    <section className="pane" aria-labelledby="detentions-board-h" data-testid="board-detentions">
      <div className="pane-head">
        <h2 id="detentions-board-h">Detentions</h2>
        <span className="pane-count">{detentions.length} live</span>
      </div>
      {detentions.length === 0 ? (
        <p className="empty">No live s136 or s135 detention.</p>
      ) : (
        <ul className="board-detentions">
          {detentions.map((d) => {
            const c = boardClockView(d, now);
            const wait = handoverWaitMinutes(d, now);
            return (
              <li key={d.id} data-testid="board-detention" data-detention={d.id}>
                <strong>{d.power}</strong>{' '}
                {mayOpen ? <a href={detentionHash(d.id)}>{d.incident_reference}</a> : d.incident_reference}
                {d.place ? ` · ${d.place.site_name}` : ''}
                <br />
                <span className={`clock-inline tone-${c.tone}`}>{c.text}</span>
                {wait !== null && <span className={wait >= 60 ? 'warn-text' : 'muted'}> · handover wait {wait} min</span>}
              </li>
            );
          })}
        </ul>
      )}
      <details className="small">
        <summary>
          Places of safety: {open.length} of {places.length} with a free suite
        </summary>
        <ul>
          {places.map((p) => (
            <li key={p.id}>
              {p.host_hospital}: {p.open ? `${p.suites_free} of ${p.suites_total} free` : 'closed'}
              {p.note ? ` (${p.note})` : ''}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
