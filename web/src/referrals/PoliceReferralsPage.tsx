// Referrals to the police: what partners (AMHP services, trusts, the
// ambulance service, NHS 111) have asked of the police through
// POST /api/referrals. The control room sees who sent each, what is asked,
// the deadline to answer it and how long is left, and answers it with the
// steps the server allows (acknowledge, accept, decline with a reason,
// complete). The overdue-referral alert on the board links here.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/instance';
import type { Health } from '../api/types';
import { Freshness } from '../board/Freshness';
import { isToPolice, kReferralTypes, referralDeadline, referralSteps, sortReferrals } from '../lib/partners';
import type { StreamEvent } from '../lib/stream';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { useLive } from '../live/useLive';
import { ReferralResponse } from '../partner/ReferralResponse';
import type { Referral } from '../partner/types';
import { LoadState } from '../ui/LoadState';
import { ListOrEmpty, Pane } from '../ui/Pane';

interface Props {
  /** The referral to bring into view (from the board's alert). */
  focusId?: string;
  onUnauthenticated: () => void;
}

interface AgencyRef {
  id: string;
  name: string;
}

interface Data {
  referrals: Referral[];
  agencies: Map<string, string>;
}

/** Closed referrals shown under the open ones. */
const kShownClosed = 20;

let agencyCache: Promise<Map<string, string>> | null = null;
function agencyNames(): Promise<Map<string, string>> {
  agencyCache ??= api
    .get<AgencyRef[]>('/api/agencies')
    .then((list) => new Map(list.map((a) => [a.id, a.name])))
    .catch((err: unknown) => {
      agencyCache = null;
      throw err;
    });
  return agencyCache;
}

export function PoliceReferralsPage({ focusId, onUnauthenticated }: Props) {
  const load = useCallback(async () => {
    const health = await api.get<Health & { now?: string }>('/api/health');
    const [referrals, agencies] = await Promise.all([
      api.get<{ referrals: Referral[] }>('/api/referrals?direction=to_police').then((r) => r.referrals.filter(isToPolice)),
      agencyNames().catch(() => new Map<string, string>()),
    ]);
    return { data: { referrals, agencies }, seq: health.log_seq, now: health.now };
  }, []);
  // Each read of the list is a logged access to every referral in it: reload only for referral events.
  const relevant = useCallback((e: StreamEvent) => e.stream.startsWith('referral/'), []);
  const live = useLive<Data>('police-referrals', load, onUnauthenticated, relevant);
  const now = useNow(1000, live.skewMs);
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = live.data !== null;
  const [focused, setFocused] = useState<string | null>(null);
  useEffect(() => {
    if (!loaded) return;
    // Opened from an alert: that referral, else the heading.
    const target = focusId ? document.getElementById(`ref-${focusId}-h`) : null;
    (target ?? heading.current)?.focus();
    target?.scrollIntoView({ block: 'center' });
    setFocused(target ? focusId! : null);
  }, [loaded, focusId]);

  const title = (
    <h1 ref={heading} tabIndex={-1}>
      Referrals to the police
    </h1>
  );
  if (live.loadError || !live.data) {
    return (
      <div className="page partner-page">
        {title}
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load the referrals" loading="Loading the referrals…" />
      </div>
    );
  }
  const all = sortReferrals(live.data.referrals);
  const open = all.filter((r) => referralSteps(r.state).length > 0);
  const closed = all.filter((r) => referralSteps(r.state).length === 0).slice(0, kShownClosed);
  const agency = (id: string) => live.data!.agencies.get(id) ?? id;
  const overdue = open.filter((r) => referralDeadline(r, now).tone === 'late').length;

  return (
    <div className="page partner-page" data-testid="police-referrals">
      <div className="mh-head">
        {title}
        <Freshness status={live.status} clientNow={now - live.skewMs} skewMs={live.skewMs} />
      </div>
      <p className="small muted">
        What partner agencies ask of the police. Each must be answered — acknowledged, accepted or declined — by its deadline, or the board raises an
        alert.
      </p>
      <Pane
        headId="police-ref-open-h"
        title="Open"
        count={
          <>
            {open.length} open{overdue > 0 && <span className="overdue-count"> · {overdue} overdue</span>}
          </>
        }
        testId="referrals-open"
      >
        <ListOrEmpty empty="No open referrals to the police." className="referrals">
          {open.map((r) => (
            <PoliceReferral key={r.id} referral={r} from={agency(r.from_agency)} now={now} focused={focused === r.id} onDone={live.refresh} />
          ))}
        </ListOrEmpty>
      </Pane>
      {closed.length > 0 && (
        <details className="pane" data-testid="referrals-closed">
          <summary>Answered and closed ({closed.length})</summary>
          <ul className="referrals">
            {closed.map((r) => (
              <PoliceReferral key={r.id} referral={r} from={agency(r.from_agency)} now={now} focused={focused === r.id} onDone={live.refresh} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function PoliceReferral({ referral: r, from, now, focused, onDone }: { referral: Referral; from: string; now: number; focused: boolean; onDone: () => void }) {
  const deadline = referralDeadline(r, now);
  const what = kReferralTypes[r.type] ?? r.type.replace(/_/g, ' ');
  const hid = `ref-${r.id}-h`;
  return (
    <li
      className={`referral${deadline.tone === 'late' ? ' overdue' : ''}${focused ? ' focused' : ''}`}
      data-testid="police-referral"
      data-referral={r.id}
      data-state={r.state}
      aria-labelledby={hid}
    >
      <div className="assignment-top">
        <h3 id={hid} tabIndex={-1}>
          {what} — from {from}
        </h3>
        <span className={`pill referral-state state-${r.state}`} data-testid="referral-state">
          {r.state}
        </span>
        {deadline.tone === 'late' && <span className="flag flag-emergency">Overdue</span>}
      </div>
      <p className={`clock-inline tone-${deadline.tone}`} data-testid="referral-deadline">
        {deadline.text}
      </p>
      <blockquote className="referral-note" data-testid="referral-note">
        {r.note || <span className="muted">No details given.</span>}
      </blockquote>
      <p className="small muted">
        {r.id} · sent {formatTime(r.sent_at, now)} by {from}
        {r.incident && ` · ${r.incident.reference}`}
        {r.declined_at && ` · declined: ${r.decline_reason}`}
        {r.completed_at && r.outcome && ` · outcome: ${r.outcome}`}
      </p>
      <ReferralResponse referral={r} what={`${what} from ${from}`} reasonFor={from} onDone={onDone} />
    </li>
  );
}
