// The s136/s135 detention record as a guided form: the clock, then each step
// in order — done ones say what was recorded, the next one is open, optional
// ones open on request. A refusal (422) shows the rule the server names, in
// the step's form. Live: any event on the detention's stream reloads it; an
// open form follows the record only until the officer changes something in it
// (RecordForm), so a colleague's step never changes what they are about to send.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/instance';
import type { Detention, PlaceOfSafety } from '../api/mh';
import { availabilityText } from '../api/mh';
import type { Health, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import { countOf } from '../lib/plural';
import type { FieldSpec, Values } from '../lib/forms';
import { atPoliceStation, clockView, decisionFacts, detentionSteps, nextHandoverStage, nextStep } from '../lib/detention';
import type { Step, StepId } from '../lib/detention';
import {
  handoverFields,
  kArrivalFields,
  kConveyanceFields,
  kEthnicities,
  kExtensionFields,
  kOutcomeFields,
  kSearchFields,
  kSexes,
  kWelfareFields,
  outcomeConfirmation,
  placeBodyFix,
  placeFields,
} from '../lib/mhForms';
import type { SiteOption } from '../lib/mhForms';
import { can } from '../lib/roles';
import type { StreamEvent } from '../lib/stream';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { errorMessage } from '../live/useCommands';
import { useLive } from '../live/useLive';
import { LoadState } from '../ui/LoadState';
import { RecordForm } from './RecordForm';
import { mentalHealthHash } from './links';

interface Props {
  id: string;
  user: User;
  onUnauthenticated: () => void;
}

interface EdRef {
  ods_code: string;
  hospital: string;
}

interface Data {
  detention: Detention;
  hbpos: SiteOption[];
  eds: SiteOption[];
}

let sitesCache: Promise<{ hbpos: SiteOption[]; eds: SiteOption[] }> | null = null;
function loadSites(): Promise<{ hbpos: SiteOption[]; eds: SiteOption[] }> {
  sitesCache ??= Promise.all([
    api.get<PlaceOfSafety[]>('/api/places-of-safety'),
    api.get<EdRef[]>('/api/reference/emergency-departments'),
  ])
    .then(([p, e]) => ({
      hbpos: p.map((s) => ({
        id: s.id,
        label: `${s.host_hospital} — ${availabilityText(s)}`,
      })),
      eds: e.map((x) => ({ id: x.ods_code, label: x.hospital })),
    }))
    .catch((err: unknown) => {
      sitesCache = null;
      throw err;
    });
  return sitesCache;
}

const kPaths: Partial<Record<StepId, string>> = {
  search: 'search',
  place: 'place-of-safety',
  conveyance: 'conveyance',
  arrival: 'arrival',
  welfare: 'welfare-check',
  handover: 'handover',
  extension: 'extension',
  transfer: 'transfer',
  outcome: 'outcome',
};

interface StepForm {
  fields: FieldSpec[];
  fix?: (b: Record<string, unknown>) => Record<string, unknown>;
  label: string;
  /** Asked before sending, for a step that cannot be undone. */
  confirm?: (values: Values) => string;
  confirmLabel?: string;
}

const kHandoverStageWords: Record<string, string> = {
  requested: 'request to health',
  accepted: 'acceptance by health',
  officers_left: 'officers leaving',
  escalated: 'escalation of the wait',
};

export function DetentionPage({ id, user, onUnauthenticated }: Props) {
  const load = useCallback(async () => {
    const health = await api.get<Health & { now?: string }>('/api/health');
    const [detention, sites] = await Promise.all([
      api.get<Detention>(`/api/detentions/${encodeURIComponent(id)}`),
      loadSites().catch(() => ({ hbpos: [], eds: [] })),
    ]);
    return { data: { detention, ...sites }, seq: health.log_seq, now: health.now };
  }, [id]);
  // Each read of the detention is a logged access: reload only for events on its own stream.
  const relevant = useCallback((e: StreamEvent) => e.stream === `detention/${id}`, [id]);
  const live = useLive<Data>(`detention:${id}`, load, onUnauthenticated, relevant);
  const now = useNow(1000, live.skewMs);
  const [open, setOpen] = useState<StepId | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [saved, setSaved] = useState<string>('');
  // The last refusal of a step, for when its form has gone with the same live update (the
  // detention ended by a colleague): the step still says it was not recorded.
  const [stepRefusal, setStepRefusal] = useState<{ step: StepId; message: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = live.data !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);
  // After a step is recorded, keyboard and screen-reader users continue at the next step.
  const focusAfterSave = useRef(false);
  useEffect(() => {
    if (!focusAfterSave.current || !live.data) return;
    focusAfterSave.current = false;
    const next = nextStep(detentionSteps(live.data.detention, Date.now() + live.skewMs));
    document.getElementById(next ? `step-${next}-h` : 'detention-clock')?.focus();
  }, [live.data, live.skewMs]);

  if (live.loadError || !live.data) {
    return (
      <div className="page mh-page">
        <h1 ref={heading} tabIndex={-1}>
          Detention {id}
        </h1>
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load the detention" loading="Loading the detention…" />
      </div>
    );
  }
  const d = live.data.detention;
  const steps = detentionSteps(d, now);
  const next = nextStep(steps);
  const current = open ?? next;
  const clock = clockView(d, now);
  const mayRecord = can(user.role, 'detention.record') && d.status !== 'ended';
  const facts = decisionFacts(d, now);
  const optionLabel = (options: ReadonlyArray<readonly [string, string]>, v: string, what: string) =>
    v === 'not_stated' ? `${what} not stated` : (options.find(([k]) => k === v)?.[1] ?? v);
  const personFacts = [
    d.person.sex ? optionLabel(kSexes, d.person.sex, 'sex') : '',
    d.person.ethnicity ? optionLabel(kEthnicities, d.person.ethnicity, 'ethnicity') : '',
  ].filter(Boolean);

  async function send(step: StepId, body: Record<string, unknown>) {
    let reply: Detention;
    try {
      reply = await api.send<Detention>('POST', `/api/detentions/${encodeURIComponent(id)}/${kPaths[step]}`, body);
    } catch (err) {
      setStepRefusal({ step, message: errorMessage(err) });
      throw err; // RecordForm shows it in the form, while the form is there
    }
    setStepRefusal(null);
    setWarnings(reply?.warnings ?? []);
    // The handover has stages: say which one was recorded ("requested" is not "handed over").
    const stage = step === 'handover' && typeof body.stage === 'string' ? kHandoverStageWords[body.stage] : undefined;
    setSaved(stage ? `Handover: ${stage} recorded.` : `${steps.find((s) => s.id === step)?.title ?? step} recorded.`);
    setOpen(null);
    focusAfterSave.current = true;
    live.refresh();
  }

  function fieldsFor(step: StepId): StepForm | null {
    const { hbpos, eds } = live.data!;
    switch (step) {
      case 'search':
        return { fields: kSearchFields, label: 'Record the search' };
      case 'place':
        return { fields: placeFields(hbpos, eds), fix: placeBodyFix, label: 'Record the place of safety' };
      case 'transfer':
        return { fields: placeFields(hbpos, eds), fix: placeBodyFix, label: 'Record the transfer' };
      case 'conveyance':
        return { fields: kConveyanceFields, label: 'Record the conveyance' };
      case 'arrival':
        return { fields: kArrivalFields, label: 'Record the arrival' };
      case 'welfare':
        return { fields: kWelfareFields, label: 'Record the check' };
      case 'handover':
        return { fields: handoverFields(nextHandoverStage(d) ?? 'escalated'), label: 'Record the handover stage' };
      case 'extension':
        return { fields: kExtensionFields, label: 'Record the extension' };
      case 'outcome':
        return { fields: kOutcomeFields, label: 'Record the outcome and end the detention', confirm: outcomeConfirmation, confirmLabel: 'Yes, end the detention' };
      default:
        return null;
    }
  }

  return (
    <div className="page mh-page" data-testid="detention-page" data-status={d.status}>
      <p className="back-link">
        <a href={mentalHealthHash(d.incident_id)}>← {d.incident_reference}: mental-health records</a>
      </p>
      <div className="mh-head">
        <h1 ref={heading} tabIndex={-1}>
          {d.power} detention {d.id}
        </h1>
        <span className={`pill detention-status status-${d.status}`} data-testid="detention-status">
          {d.status.replace(/_/g, ' ')}
        </span>
        <Freshness status={live.status} clientNow={now - live.skewMs} skewMs={live.skewMs} />
      </div>
      <p className={`clock tone-${clock.tone}`} data-testid="clock" id="detention-clock" tabIndex={-1}>
        {clock.text}
      </p>
      <p className="small muted">
        Person: {d.person.age !== null ? countOf(d.person.age, 'year') : 'age unknown'}
        {d.person.treated_as_child ? ' — treated as a child (under 18)' : ''}
        {personFacts.length > 0 && ` · ${personFacts.join(' · ')}`} · Decided {formatTime(d.decided_at, now)}
        {d.officer_collar ? ` by ${d.officer_collar}` : ''}
      </p>
      {facts.length > 0 && (
        <section className="pane" aria-labelledby="det-grounds-h" data-testid="detention-grounds">
          <h2 id="det-grounds-h">{d.power === 's135' ? 'The warrant' : 'Grounds and consultation'}</h2>
          <dl className="grounds-facts">
            {facts.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      {warnings.length > 0 && (
        <div className="warnings" role="status" data-testid="warnings">
          <strong>The server warns:</strong>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {saved && warnings.length === 0 && (
        <p className="ok-text" role="status" data-testid="saved">
          {saved}
        </p>
      )}
      {d.alerts.filter((a) => !a.acknowledged_at).length > 0 && (
        <section className="pane" aria-labelledby="det-alerts-h">
          <h2 id="det-alerts-h">Alerts</h2>
          <ul>
            {d.alerts
              .filter((a) => !a.acknowledged_at)
              .map((a) => (
                <li key={a.id} className="alert-msg">
                  {formatTime(a.raised_at, now)} — {a.message}
                </li>
              ))}
          </ul>
        </section>
      )}
      {d.status === 'detained' && !d.place_of_safety && d.suggested_places_of_safety && (
        <section className="pane" aria-labelledby="suggest-h" data-testid="suggestions">
          <h2 id="suggest-h">Nearest places of safety with a free suite</h2>
          {d.suggested_places_of_safety.sites.length === 0 ? (
            <p className="empty">None: {d.suggested_places_of_safety.why_none.join('; ')}</p>
          ) : (
            <ul>
              {d.suggested_places_of_safety.sites.map((s) => (
                <li key={s.site_id}>
                  {s.name} — about {s.travel_minutes} min, {s.suites_free} free
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <ol className="steps" aria-label="Steps of the detention record">
        {steps.map((s, i) => (
          <StepItem
            key={s.id}
            n={i + 1}
            step={s}
            expanded={mayRecord && current === s.id && (s.state === 'next' || s.state === 'open')}
            mayRecord={mayRecord}
            onOpen={() => {
              setOpen(s.id);
              setSaved('');
              setStepRefusal(null);
            }}
            onClose={() => setOpen(null)}
            form={fieldsFor(s.id)}
            nowMs={now}
            send={(body) => send(s.id, body)}
            ended={d.status === 'ended'}
            refusal={stepRefusal?.step === s.id ? stepRefusal.message : undefined}
            extra={s.id === 'welfare' && atPoliceStation(d) ? `Custody review due ${formatTime(d.police_station.review_due, now)}` : undefined}
          />
        ))}
      </ol>
      {d.timeline && d.timeline.length > 0 && (
        <details className="pane" data-testid="detention-timeline">
          <summary>
            Record history ({d.timeline.length} {d.timeline.length === 1 ? 'event' : 'events'})
          </summary>
          <ol className="timeline">
            {d.timeline.map((e) => (
              <li key={e.seq}>
                <span className="tl-time">{formatTime(e.at, now, { seconds: true })}</span> {e.type.replace(/^detention\./, '').replace(/_/g, ' ')}
                {e.actor.role ? <span className="tl-actor"> — {e.actor.role.replace(/_/g, ' ')}</span> : null}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function StepItem({
  n,
  step,
  expanded,
  mayRecord,
  onOpen,
  onClose,
  form,
  nowMs,
  send,
  extra,
  ended,
  refusal,
}: {
  n: number;
  step: Step;
  expanded: boolean;
  mayRecord: boolean;
  onOpen: () => void;
  onClose: () => void;
  form: StepForm | null;
  nowMs: number;
  send: (body: Record<string, unknown>) => Promise<void>;
  extra?: string;
  ended: boolean;
  refusal?: string;
}) {
  const hid = `step-${step.id}-h`;
  const stateLabel = { done: 'Done', next: 'Next', open: 'Optional', later: ended ? 'Not recorded' : 'Not yet' }[step.state];
  return (
    <li className={`step step-${step.state}`} data-testid={`step-${step.id}`} data-state={step.state} aria-labelledby={hid}>
      <div className="step-head">
        <span className="step-n" aria-hidden="true">
          {n}
        </span>
        <h2 id={hid} tabIndex={-1}>
          {step.title}
        </h2>
        <span className={`pill step-pill step-pill-${step.state}`}>{stateLabel}</span>
      </div>
      <p className="step-summary">{step.summary}</p>
      {extra && <p className="small">{extra}</p>}
      {refusal && !expanded && (
        <p role="alert" className="form-error" data-testid="step-refusal">
          Not recorded: {refusal}
        </p>
      )}
      {form && mayRecord && !expanded && (step.state === 'open' || step.state === 'next') && (
        <button type="button" className="small" onClick={onOpen}>
          {form.label}
          <span className="sr-only"> ({step.title})</span>
        </button>
      )}
      {form && expanded && (
        // Not re-created when the record changes: what the officer has typed or chosen stays.
        <RecordForm
          key={step.id}
          fields={form.fields}
          fix={form.fix}
          confirm={form.confirm}
          confirmLabel={form.confirmLabel}
          submitLabel={form.label}
          nowMs={nowMs}
          onSubmit={send}
          testId={`form-${step.id}`}
          onCancel={step.state === 'open' ? onClose : undefined}
        />
      )}
    </li>
  );
}
