// The receiving agency's answer to a referral: the steps the server allows
// from its state (acknowledge, accept, decline with a reason, complete with an
// outcome), each sent as POST /api/referrals/{id}/<step>. The partner portal
// uses it for referrals to partners, the police referrals screen for
// referrals to the police.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import { referralSteps } from '../lib/partners';
import type { ReferralStep } from '../lib/partners';
import { useCommands } from '../live/useCommands';
import { CommandError } from '../ui/CommandError';

const kStepLabels: Record<ReferralStep, string> = {
  acknowledge: 'Acknowledge',
  accept: 'Accept',
  decline: 'Decline',
  complete: 'Complete',
};

interface Props {
  referral: { id: string; state: string };
  /** What the referral is, for the button group's name: "the referral for CAD 4/28NOV26". */
  what: string;
  /** Whom a decline reason goes to: "the police", "Lambeth Council AMHP Service". */
  reasonFor: string;
  onDone: () => void;
}

export function ReferralResponse({ referral: r, what, reasonFor, onDone }: Props) {
  const cmd = useCommands();
  const [form, setForm] = useState<'decline' | 'complete' | null>(null);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const steps = referralSteps(r.state);
  const textId = `ref-${r.id}-text`;

  async function step(s: ReferralStep, body: Record<string, unknown> = {}) {
    const out = await cmd.run('step', () => api.send('POST', `/api/referrals/${encodeURIComponent(r.id)}/${s}`, body));
    if (out.ok) {
      setForm(null);
      setText('');
      onDone();
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form === 'decline' && !text.trim()) {
      setMissing(true);
      document.getElementById(textId)?.focus();
      return;
    }
    setMissing(false);
    void step(form!, form === 'decline' ? { reason: text.trim() } : { outcome: text.trim() });
  }

  return (
    <>
      {steps.length > 0 && form === null && (
        <div className="button-row" role="group" aria-label={`Respond to ${what}`}>
          {steps.map((s) => (
            <button
              key={s}
              type="button"
              className={s === 'accept' ? 'primary' : s === 'decline' ? 'danger' : ''}
              disabled={cmd.pending('step')}
              onClick={() => (s === 'decline' || s === 'complete' ? setForm(s) : void step(s))}
            >
              {kStepLabels[s]}
            </button>
          ))}
        </div>
      )}
      {form && (
        <form className="inline-form" onSubmit={submit} noValidate>
          <label htmlFor={textId}>{form === 'decline' ? 'Reason for declining' : 'Outcome (optional)'}</label>
          <textarea
            id={textId}
            rows={2}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? `${textId}-err` : undefined}
          />
          {missing && (
            <p className="field-error" id={`${textId}-err`}>
              Give the reason: {reasonFor} see{reasonFor === 'the police' ? '' : 's'} it.
            </p>
          )}
          <div className="button-row">
            <button type="submit" className={form === 'decline' ? 'danger' : 'primary'} disabled={cmd.pending('step')}>
              {form === 'decline' ? 'Decline the referral' : 'Complete the referral'}
            </button>
            <button type="button" onClick={() => setForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <CommandError cmd={cmd} action="step" />
    </>
  );
}
