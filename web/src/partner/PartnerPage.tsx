// The partner portal (clinician, AMHP, ambulance, NHS 111 hub): the agency's
// referrals inbox with acknowledge / accept / decline (with a reason) /
// complete; the incidents shared with the agency, showing only what the
// agreement discloses (the server cuts them; the screen says what is
// withheld); and, for a trust's users, live availability of its places of safety.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { PlaceOfSafety } from '../api/mh';
import { availabilityText } from '../api/mh';
import type { Health, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import { categoryLabel, kReferralTypes, referralSteps, sameTrust, sortReferrals } from '../lib/partners';
import { can } from '../lib/roles';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { useLive } from '../live/useLive';
import { useCommands } from '../live/useCommands';
import { CommandError } from '../ui/CommandError';
import { LoadState } from '../ui/LoadState';
import { ListOrEmpty, Pane } from '../ui/Pane';
import type { Agreement, Referral, SharedIncident } from './types';
import { AskThePolice } from './AskThePolice';
import { ReferralResponse } from './ReferralResponse';
import { SharedIncidentView, sharedIncidentHash } from './SharedIncident';

interface Props {
  user: User;
  onUnauthenticated: () => void;
}

interface Data {
  referrals: Referral[];
  incidents: SharedIncident[];
  agreements: Agreement[];
  places: PlaceOfSafety[] | null;
}

export function PartnerPage({ user, onUnauthenticated }: Props) {
  const mayPlaces = user.role === 'clinician';
  const load = useCallback(async () => {
    const health = await api.get<Health & { now?: string }>('/api/health');
    const [referrals, incidents, agreements, places] = await Promise.all([
      api.get<{ referrals: Referral[] }>('/api/referrals').then((r) => r.referrals),
      api.get<{ incidents: SharedIncident[] }>('/api/incidents').then((r) => r.incidents),
      api.get<Agreement[]>('/api/sharing-agreements'),
      mayPlaces ? api.get<PlaceOfSafety[]>('/api/places-of-safety') : Promise.resolve(null),
    ]);
    return { data: { referrals, incidents, agreements, places }, seq: health.log_seq, now: health.now };
  }, [mayPlaces]);
  const live = useLive<Data>('partner', load, onUnauthenticated);
  const now = useNow(1000, live.skewMs);
  const heading = useRef<HTMLHeadingElement>(null);
  const ready = live.data !== null || live.loadError !== null;
  useEffect(() => heading.current?.focus(), [ready]);
  const agency = user.agency?.name ?? 'your agency';

  const title = (
    <h1 ref={heading} tabIndex={-1}>
      Partner portal <span className="muted">— {agency}</span>
    </h1>
  );
  if (live.loadError || !live.data) {
    return (
      <div className="page partner-page">
        {title}
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load the portal" />
      </div>
    );
  }
  const d = live.data;
  const mine = d.agreements.filter((a) => !user.agency || a.agency_id === user.agency.id);
  const active = mine.filter((a) => a.active);
  const referrals = sortReferrals(d.referrals);
  const openCount = referrals.filter((r) => referralSteps(r.state).length > 0).length;
  const sites = (d.places ?? []).filter((p) => sameTrust(agency, p.trust));

  return (
    <div className="page partner-page" data-testid="partner-page">
      <div className="mh-head">
        {title}
        <Freshness status={live.status} clientNow={now - live.skewMs} skewMs={live.skewMs} />
      </div>

      <section className="pane" aria-labelledby="agreement-h" data-testid="agreement">
        <h2 id="agreement-h">Information-sharing agreement</h2>
        {active.length === 0 ? (
          <p className="warn-text">No active agreement: nothing about incidents is disclosed to {agency}.</p>
        ) : (
          active.map((a) => (
            <div key={a.id} className="small">
              <p>
                <strong>{a.id}</strong> · {a.purpose}
              </p>
              <p>
                Discloses: {a.categories.map(categoryLabel).join(', ')} · Lawful basis: {kRegimes[a.lawful_basis.regime] ?? a.lawful_basis.regime},{' '}
                {a.lawful_basis.condition.replace(/_/g, ' ')}
              </p>
              <p>
                Ends {formatTime(a.end, now)} · Review {formatTime(a.review_date, now)}
                {a.review_overdue && <span className="warn-text"> (review overdue)</span>}
              </p>
            </div>
          ))
        )}
      </section>

      <Pane headId="inbox-h" title="Referrals inbox" count={<>{openCount} open</>} testId="referrals">
        <ListOrEmpty empty={<>No referrals for {agency}.</>} className="referrals">
          {referrals.map((r) => (
            <ReferralItem key={r.id} referral={r} now={now} onDone={live.refresh} />
          ))}
        </ListOrEmpty>
      </Pane>

      {can(user.role, 'referral.raise') && (
        <Pane headId="ask-h" title="Ask the police" testId="ask-police-pane">
          <AskThePolice now={now} onSent={live.refresh} />
        </Pane>
      )}

      <Pane headId="shared-h" title={<>Incidents shared with {agency}</>} count={d.incidents.length} testId="shared-incidents">
        <ListOrEmpty empty="None. An incident appears here when the police refer it to you." className="shared-list">
          {d.incidents.map((i) => (
            <li key={i.id}>
              <SharedIncidentView incident={i} now={now} compact />
            </li>
          ))}
        </ListOrEmpty>
      </Pane>

      {mayPlaces && (
        <Pane headId="pos-h" title={<>Places of safety run by {agency}</>} count={sites.length} testId="places">
          <ListOrEmpty empty={<>No place of safety is run by {agency}.</>} className="sites">
            {sites.map((s) => (
              <SiteItem key={s.id} site={s} now={now} onDone={live.refresh} />
            ))}
          </ListOrEmpty>
        </Pane>
      )}
    </div>
  );
}

const kRegimes: Record<string, string> = { uk_gdpr_art9: 'UK GDPR Article 9', dpa2018_part3: 'DPA 2018 Part 3' };

function ReferralItem({ referral: r, now, onDone }: { referral: Referral; now: number; onDone: () => void }) {
  const ref = r.incident?.reference ?? 'an incident';
  return (
    <li className={`referral${r.overdue ? ' overdue' : ''}`} data-testid="referral" data-referral={r.id} data-state={r.state} aria-labelledby={`ref-${r.id}-h`}>
      <div className="assignment-top">
        <h3 id={`ref-${r.id}-h`}>
          {kReferralTypes[r.type] ?? r.type} — {r.incident ? <a href={sharedIncidentHash(r.incident.id)}>{ref}</a> : r.direction === 'to_police' ? 'to the police' : ref}
        </h3>
        <span className={`pill referral-state state-${r.state}`} data-testid="referral-state">
          {r.state}
        </span>
        {r.overdue && <span className="flag flag-emergency">Overdue</span>}
      </div>
      {r.note && <p>{r.note}</p>}
      <p className="small muted">
        {r.direction === 'to_partner' ? `From ${r.from_agency.toUpperCase()}` : 'Raised by you'} · sent {formatTime(r.sent_at, now)} · due{' '}
        {formatTime(r.due_at, now)}
        {r.acknowledged_at && ` · acknowledged ${formatTime(r.acknowledged_at, now)}`}
        {r.accepted_at && ` · accepted ${formatTime(r.accepted_at, now)}`}
        {r.declined_at && ` · declined ${formatTime(r.declined_at, now)}: ${r.decline_reason}`}
        {r.completed_at && ` · completed ${formatTime(r.completed_at, now)}${r.outcome ? `: ${r.outcome}` : ''}`}
      </p>
      {r.direction === 'to_partner' && <ReferralResponse referral={r} what={`the referral for ${ref}`} reasonFor="the police" onDone={onDone} />}
    </li>
  );
}

function SiteItem({ site, now, onDone }: { site: PlaceOfSafety; now: number; onDone: () => void }) {
  const cmd = useCommands();
  const [free, setFree] = useState(String(site.suites_free));
  const [total, setTotal] = useState(String(site.suites_total));
  const [open, setOpen] = useState(site.open);
  const [note, setNote] = useState(site.note);
  const [saved, setSaved] = useState(false);
  const base = `site-${site.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const r = await cmd.run('avail', () =>
      api.send('POST', `/api/places-of-safety/${encodeURIComponent(site.id)}/availability`, {
        suites_free: Number(free),
        suites_total: Number(total),
        open,
        note: note.trim(),
      }),
    );
    if (r.ok) {
      setSaved(true);
      onDone();
    }
  }

  return (
    <li className="site" data-testid="site" data-site={site.id}>
      <h3>
        {site.name}, {site.host_hospital}
      </h3>
      <p className="small muted" data-testid="site-now">
        Now: {site.open ? `open, ${availabilityText(site).replace(' free', ' suites free')}` : 'closed'} · ages {site.min_age}–{site.max_age} ·{' '}
        {site.detained_here} detained here ·{' '}
        {site.reported ? `reported ${formatTime(site.updated_at, now)} by ${site.updated_by_agency}` : 'not reported yet'}
      </p>
      <form className="site-form" onSubmit={(e) => void submit(e)} noValidate aria-label={`Availability at ${site.host_hospital}`}>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${base}-free`}>Suites free</label>
            <input id={`${base}-free`} type="number" min={0} inputMode="numeric" value={free} onChange={(e) => setFree(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${base}-total`}>Suites in all</label>
            <input id={`${base}-total`} type="number" min={0} inputMode="numeric" value={total} onChange={(e) => setTotal(e.target.value)} />
          </div>
        </div>
        <div className="field check-field">
          <input id={`${base}-open`} type="checkbox" checked={open} onChange={(e) => setOpen(e.target.checked)} />
          <label htmlFor={`${base}-open`}>Open to new detentions</label>
        </div>
        <div className="field">
          <label htmlFor={`${base}-note`}>Note</label>
          <input id={`${base}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={cmd.pending('avail')}>
          Update availability
        </button>
        {saved && (
          <span className="ok-text" role="status">
            {' '}
            Updated.
          </span>
        )}
        <CommandError cmd={cmd} action="avail" />
      </form>
    </li>
  );
}
