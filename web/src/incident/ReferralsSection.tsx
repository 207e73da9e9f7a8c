// Referrals of an incident to partners (street triage, AMHP, ambulance, 111,
// crisis team, safeguarding). A referral shares the incident with the agency,
// cut to its agreement; declining withdraws the share.

import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { IncidentDetail } from '../api/types';
import { kReferralTypes, typesTaken } from '../lib/partners';
import type { ReferralRecipient } from '../lib/partners';
import { formatTime } from '../lib/time';
import { useCommands } from '../live/useCommands';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';
import { Pane } from '../ui/Pane';
import type { Referral } from '../partner/types';

interface AgencyRef extends ReferralRecipient {
  id: string;
  kind: string;
  name: string;
  status: string;
}

interface Props {
  incident: IncidentDetail;
  now: number;
  /** Changes when the incident changes, so the list is read again. */
  version: string;
}

export function ReferralsSection({ incident, now, version }: Props) {
  const cmd = useCommands();
  const [agencies, setAgencies] = useState<AgencyRef[]>([]);
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [agency, setAgency] = useState('');
  const [type, setType] = useState('');
  const [warnings, setWarnings] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api
      .get<AgencyRef[] | { agencies: AgencyRef[] }>('/api/agencies')
      .then((a) => {
        if (!cancelled) setAgencies((Array.isArray(a) ? a : a.agencies).filter((x) => x.status === 'active' && typesTaken(x).length > 0));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    api
      .get<{ referrals: Referral[] }>(`/api/referrals?incident=${encodeURIComponent(incident.id)}`)
      .then((r) => {
        if (!cancelled) setReferrals(r.referrals.filter((x) => x.incident?.id === incident.id));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [incident.id, version, reload]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setWarnings([]);
    const r = await cmd.run('refer', () =>
      api.send<{ warnings?: string[] }>('POST', `/api/incidents/${encodeURIComponent(incident.id)}/referrals`, {
        agency_id: agency,
        type,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
      { what: 'The referral' },
    );
    if (r.ok) {
      setNote('');
      setWarnings(r.value?.warnings ?? []);
      setReload((n) => n + 1);
    }
  }

  const name = (id: string) => agencies.find((a) => a.id === id)?.name ?? id;
  const taken = typesTaken(agencies.find((a) => a.id === agency));

  // A new agency keeps the type chosen if it takes it too; one that takes a single type has it.
  function chooseAgency(id: string) {
    setAgency(id);
    const types = typesTaken(agencies.find((a) => a.id === id));
    setType((t) => (types.includes(t) ? t : types.length === 1 ? types[0] : ''));
  }
  return (
    <Pane headId="referrals-h" title="Referrals to partners" count={referrals?.length ?? '…'} testId="incident-referrals">
      <DetachedCommandErrors cmd={cmd} />
      {referrals && referrals.length === 0 && <p className="empty">None. A referral shares the incident with the agency.</p>}
      {referrals && referrals.length > 0 && (
        <ul>
          {referrals.map((r) => (
            <li key={r.id} data-testid="incident-referral" data-state={r.state}>
              {kReferralTypes[r.type] ?? r.type} → {name(r.agency_id)}: <strong>{r.state}</strong> (sent {formatTime(r.sent_at, now)}, due{' '}
              {formatTime(r.due_at, now)}){r.decline_reason ? ` — ${r.decline_reason}` : ''}
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <div className="warnings" role="status" data-testid="referral-warnings">
          <strong>Sent, with a warning:</strong>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {incident.status === 'open' && (
        <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="form-row">
            <div className="field mid">
              <label htmlFor="refer-agency">Refer to</label>
              <select id="refer-agency" value={agency} onChange={(e) => chooseAgency(e.target.value)}>
                <option value="">Choose an agency…</option>
                {agencies.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="refer-type">For</label>
              <select id="refer-type" value={type} onChange={(e) => setType(e.target.value)} disabled={!agency}>
                {taken.length !== 1 && <option value="">{agency ? 'Choose…' : 'Choose an agency first'}</option>}
                {taken.map((k) => (
                  <option key={k} value={k}>
                    {kReferralTypes[k]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor="refer-note">Note for the partner</label>
            <textarea id="refer-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button type="submit" className="primary" disabled={cmd.pending('refer') || !agency || !type}>
            Send the referral
          </button>
          <CommandError cmd={cmd} action="refer" />
        </form>
      )}
    </Pane>
  );
}
