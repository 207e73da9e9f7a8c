// Live s136/s135 detentions on the board, soonest end first (the server's
// order), with their clocks and handover waits; and the places of safety with
// a free suite. Detentions open on the detention screen for roles that may
// read them.

import type { BoardDetention, PlaceOfSafety } from '../api/mh';
import { availabilityText, freeNow } from '../api/mh';
import { boardClockView, handoverWaitMinutes } from '../lib/detention';
import { can } from '../lib/roles';
import { formatMinutes } from '../lib/time';
import { detentionHash } from '../mh/links';
import { ListOrEmpty, Pane } from '../ui/Pane';

interface Props {
  detentions: BoardDetention[];
  places: PlaceOfSafety[];
  role: string;
  now: number;
}

export function DetentionsPane({ detentions, places, role, now }: Props) {
  const mayOpen = can(role, 'detention.read');
  const open = places.filter((p) => p.open && freeNow(p) > 0);
  return (
    <Pane headId="detentions-board-h" title="Detentions" count={<>{detentions.length} live</>} testId="board-detentions">
      <ListOrEmpty empty="No live s136 or s135 detention." className="board-detentions">
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
              {wait !== null && <span className={wait >= 60 ? 'warn-text' : 'muted'}> · handover wait {formatMinutes(wait)}</span>}
            </li>
          );
        })}
      </ListOrEmpty>
      <details className="small">
        <summary>
          Places of safety: {open.length} of {places.length} with a free suite
        </summary>
        <ul>
          {places.map((p) => (
            <li key={p.id}>
              {p.host_hospital}: {availabilityText(p)}
              {p.note ? ` (${p.note})` : ''}
            </li>
          ))}
        </ul>
      </details>
    </Pane>
  );
}
