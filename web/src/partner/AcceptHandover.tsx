// The trust running the place of safety accepts the handover of a detained person (DESIGN.md §2:
// health accepts the handover), sent as POST /api/detentions/{id}/handover-acceptance. The
// server allows it only for the trust that runs the site the person is at.
//
// The officers may record the acceptance first (or a colleague accept it): the server then
// refuses this one (409) while the live update says the handover is accepted. The component stays
// on screen for every detention at a health-based place so that refusal is still shown, in place
// of the form, until it is dismissed.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { Detention } from '../api/mh';
import { useCommands } from '../live/useCommands';
import { CommandError } from '../ui/CommandError';

type Shared = Pick<Detention, 'id' | 'status' | 'place_of_safety' | 'handover'>;

/** Whether health may now accept this detention's handover: arrived at a health-based place, not yet accepted. */
export function awaitsAcceptance(d: Shared): boolean {
  return d.status !== 'ended' && d.place_of_safety?.kind === 'hbpos' && !!d.place_of_safety.arrived_at && !d.handover.accepted_at;
}

/** Whether the acceptance form (or its refusal) belongs with this detention at all. */
export function mayOfferAcceptance(d: Shared): boolean {
  return d.place_of_safety?.kind === 'hbpos' && !!d.place_of_safety.arrived_at;
}

export function AcceptHandover({ detention, defaultName }: { detention: Shared; defaultName: string }) {
  const cmd = useCommands();
  const [by, setBy] = useState(defaultName);
  const [notes, setNotes] = useState('');
  const key = `accept:${detention.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!by.trim()) return;
    const body: Record<string, string> = { by: by.trim() };
    if (notes.trim()) body.notes = notes.trim();
    await cmd.run(key, () => api.send('POST', `/api/detentions/${encodeURIComponent(detention.id)}/handover-acceptance`, body));
  }
  if (!awaitsAcceptance(detention)) {
    const error = cmd.error(key);
    if (!error || cmd.pending(key)) return null;
    return (
      <div className="detached-error accept-refused" role="alert" data-testid="accept-refused">
        <p>
          <strong>Your acceptance was not recorded: </strong>
          {error}
        </p>
        <button type="button" className="small" onClick={() => cmd.clearError(key)}>
          Dismiss
        </button>
      </div>
    );
  }
  return (
    <form className="inline-form accept-handover" onSubmit={(e) => void submit(e)} aria-label={`Accept the handover of ${detention.id}`}>
      <label htmlFor={`accept-by-${detention.id}`}>Accepted by</label>
      <input id={`accept-by-${detention.id}`} value={by} maxLength={200} onChange={(e) => setBy(e.target.value)} autoComplete="name" />
      <label htmlFor={`accept-notes-${detention.id}`}>Notes (optional)</label>
      <input id={`accept-notes-${detention.id}`} value={notes} maxLength={4000} onChange={(e) => setNotes(e.target.value)} />
      <button type="submit" className="primary small" disabled={cmd.pending(key) || !by.trim()}>
        Accept the handover
      </button>
      <CommandError cmd={cmd} action={key} />
    </form>
  );
}
