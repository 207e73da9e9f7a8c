// A partner's request to the police (POST /api/referrals, "referral.raise"):
// what is asked and the details the control room needs to act on it. The
// server sets the deadline by the kind of request; the control room sees it
// under Referrals to police and answers it, and the answer shows in the
// partner's inbox.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import { kReferralTypes } from '../lib/partners';
import { formatTime } from '../lib/time';
import { useCommands } from '../live/useCommands';
import { CommandError } from '../ui/CommandError';
import { SelectField } from '../ui/Field';
import type { Referral } from './types';

/** Police assistance first: it is what a partner most often asks of the police. */
const kAskTypes = [
  { code: 'police_assistance', label: kReferralTypes.police_assistance },
  ...Object.entries(kReferralTypes)
    .filter(([k]) => k !== 'police_assistance')
    .map(([code, label]) => ({ code, label })),
];

export function AskThePolice({ now, onSent }: { now: number; onSent: () => void }) {
  const cmd = useCommands();
  const [type, setType] = useState('police_assistance');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [sent, setSent] = useState<Referral | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSent(null);
    if (!note.trim()) {
      setMissing(true);
      document.getElementById('ask-note')?.focus();
      return;
    }
    setMissing(false);
    const r = await cmd.run('ask', () => api.send<Referral>('POST', '/api/referrals', { type, note: note.trim() }));
    if (r.ok) {
      setSent(r.value);
      setNote('');
      setType('police_assistance');
      onSent();
    }
  }

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="ask-h" data-testid="ask-police">
      <SelectField id="ask-type" label="What you ask of the police" value={type} onChange={(e) => setType(e.target.value)} options={kAskTypes} />
      <div className="field">
        <label htmlFor="ask-note">Details: who, where, when, the risk, and how to reach you</label>
        <textarea
          id="ask-note"
          rows={4}
          maxLength={4000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? 'ask-note-err' : undefined}
        />
        {missing && (
          <p className="field-error" id="ask-note-err">
            Say what you need: the control room acts on these details.
          </p>
        )}
      </div>
      <button type="submit" className="primary" disabled={cmd.pending('ask')}>
        {cmd.pending('ask') ? 'Sending…' : 'Send to the police'}
      </button>
      {sent && (
        <p className="ok-text" role="status" data-testid="ask-sent">
          Sent as {sent.id}. The police are to answer by {formatTime(sent.due_at, now)}; their answer shows in your inbox.
        </p>
      )}
      <CommandError cmd={cmd} action="ask" />
    </form>
  );
}
