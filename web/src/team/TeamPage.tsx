// The Mental Health Team screen (mh_team, supervisors, admins): organisation
// alerts and strength per BCU, repeat demand with the contributing incidents
// as evidence, high-intensity-user flags (health-led review, then case or no
// action) and cases, training coverage per BCU as a chart, liaison-meeting
// actions, the information-sharing agreements and register, and the learning-recommendations
// register. Each part is read only when the role may read it (the server's table, mirrored in
// lib/roles.ts). The organisation, liaison, sharing, training-record and learning parts are in
// files of their own beside this one.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api/instance';
import type { Alert, Bcu, Health, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import { can, incidentHash } from '../lib/roles';
import { formatNumber } from '../lib/charts';
import { countOf } from '../lib/plural';
import type { FieldSpec } from '../lib/forms';
import { caseDemandText, coverageItems, flagExpiryText, flagReviewAction, flagStep, kFlagStatus, londonDatePlus, mayRaiseFlag, raiseFlagBody, reviewDueText, saraPlanProblem, sortTrainingDue, subjectLabel, teamRelevant, trainingDueText } from '../lib/team';
import type { RaiseFlagSubject, TrainingDueList } from '../lib/team';
import type { Coverage } from '../lib/team';
import { formatTime, formatDay } from '../lib/time';
import { useNow } from '../lib/useNow';
import { useLive } from '../live/useLive';
import { useCommands } from '../live/useCommands';
import { BarChart } from '../mh/BarChart';
import { RecordForm } from '../mh/RecordForm';
import { DataTable } from '../ui/DataTable';
import type { Column } from '../ui/DataTable';
import { BcuField } from '../ui/Field';
import { LoadState } from '../ui/LoadState';
import { ListOrEmpty, Pane } from '../ui/Pane';
import { DoneButton } from './DoneButton';
import { LearningSection } from './LearningSection';
import { LiaisonSection } from './LiaisonSection';
import { OrganisationSection } from './OrganisationSection';
import { SharingSection } from './SharingSection';
import type { RegisterEntry } from './SharingSection';
import { TrainingRecordForms } from './TrainingForms';
import type { Agreement } from '../partner/types';
import type { Course } from './TrainingForms';
import type { DemandSubject, Flag, FlagReview, HiuCase, LearningRecommendation, LiaisonMeeting, Organisation, RepeatDemand } from './types';

interface Props {
  user: User;
  onUnauthenticated: () => void;
}

interface Data {
  bcus: Bcu[];
  alerts: Alert[];
  /** Open hiu_review_due alerts: a flag's health-led review has fallen due. */
  flagAlerts: Alert[];
  organisation: Organisation | null;
  demand: RepeatDemand | null;
  flags: Flag[] | null;
  cases: HiuCase[] | null;
  coverage: Coverage | null;
  trainingDue: TrainingDueList | null;
  meetings: LiaisonMeeting[] | null;
  learning: LearningRecommendation[] | null;
  courses: Course[] | null;
  agreements: Agreement[];
  register: RegisterEntry[] | null;
}

export function TeamPage({ user, onUnauthenticated }: Props) {
  const role = user.role;
  const [bcu, setBcu] = useState('');
  const mayHiu = can(role, 'hiu.read');
  const load = useCallback(async () => {
    const health = await api.get<Health & { now?: string }>('/api/health');
    const opt = <T,>(ok: boolean, path: string): Promise<T | null> => (ok ? api.get<T>(path) : Promise.resolve(null));
    const [bcus, alerts, organisation, demand, flags, cases, coverage, trainingDue, meetings, learning, courses, agreements, register] = await Promise.all([
      api.get<Bcu[]>('/api/reference/bcus'),
      api.get<Alert[]>('/api/alerts?open=true').catch(() => [] as Alert[]),
      opt<Organisation>(can(role, 'team.read'), '/api/team/organisation'),
      opt<RepeatDemand>(can(role, 'repeat_demand.read'), `/api/repeat-demand${bcu ? `?bcu=${encodeURIComponent(bcu)}` : ''}`),
      opt<{ flags: Flag[] }>(mayHiu, '/api/hiu/flags').then((r) => r?.flags ?? null),
      opt<{ cases: HiuCase[] }>(mayHiu, '/api/hiu/cases').then((r) => r?.cases ?? null),
      opt<Coverage>(can(role, 'training.read'), '/api/training/coverage'),
      opt<TrainingDueList>(can(role, 'training.read'), `/api/training/due${bcu ? `?bcu=${encodeURIComponent(bcu)}` : ''}`),
      opt<LiaisonMeeting[]>(can(role, 'register.read'), '/api/liaison-meetings'),
      opt<{ recommendations: LearningRecommendation[] }>(can(role, 'learning.read'), '/api/learning-recommendations').then((r) => r?.recommendations ?? null),
      opt<{ courses: Course[] }>(can(role, 'training.manage'), '/api/training/courses').then((r) => r?.courses ?? null),
      api.get<Agreement[]>('/api/sharing-agreements'),
      opt<RegisterEntry[]>(can(role, 'register.read'), '/api/register'),
    ]);
    return {
      data: { bcus, alerts: alerts.filter((a) => a.type === 'org_vacancy'), flagAlerts: alerts.filter((a) => a.type === 'hiu_review_due'), organisation, demand, flags, cases, coverage, trainingDue, meetings, learning, courses, agreements, register },
      seq: health.log_seq,
      now: health.now,
    };
  }, [role, bcu, mayHiu]);
  const live = useLive<Data>(`team:${bcu}`, load, onUnauthenticated, teamRelevant);
  const now = useNow(1000, live.skewMs);
  const heading = useRef<HTMLHeadingElement>(null);
  const ready = live.data !== null || live.loadError !== null;
  useEffect(() => heading.current?.focus(), [ready]);
  const [lastData, setLastData] = useState<Data | null>(null);
  useEffect(() => {
    if (live.data) setLastData(live.data);
  }, [live.data]);
  const d = live.data ?? lastData; // keep the page while a new BCU loads

  const title = (
    <h1 ref={heading} tabIndex={-1}>
      Mental Health Team
    </h1>
  );
  if (live.loadError || !d) {
    return (
      <div className="page team-page">
        {title}
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load" />
      </div>
    );
  }
  const bcuName = (code: string) => d.bcus.find((b) => b.code === code)?.name ?? code;

  return (
    <div className="page team-page" data-testid="team-page">
      <div className="mh-head">
        {title}
        <Freshness status={live.status} clientNow={now - live.skewMs} skewMs={live.skewMs} />
        <BcuField id="team-bcu" fieldClassName="field inline-field" bcus={d.bcus} value={bcu} onChange={(e) => setBcu(e.target.value)} />
      </div>
      <nav aria-label="On this page" className="page-index">
        <PageLink to="team-org-h">Organisation</PageLink> · <PageLink to="team-demand-h">Repeat demand</PageLink>
        {d.flags && (
          <>
            {' '}
            · <PageLink to="team-flags-h">Flags</PageLink> · <PageLink to="team-cases-h">Cases</PageLink>
          </>
        )}{' '}
        · <PageLink to="team-training-h">Training</PageLink> · <PageLink to="team-training-due-h">Refreshers due</PageLink> · <PageLink to="team-liaison-h">Liaison</PageLink> · <PageLink to="team-sharing-h">Sharing</PageLink> · <PageLink to="team-learning-h">Learning</PageLink>
      </nav>

      <OrganisationSection alerts={d.alerts} organisation={d.organisation} bcu={bcu} role={role} now={now} onDone={live.refresh} onChooseBcu={setBcu} />
      {d.demand && <DemandSection demand={d.demand} bcu={bcu ? `${bcu} ${bcuName(bcu)}` : 'all BCUs'} role={role} now={now} onDone={live.refresh} />}
      {d.flags && (
        <FlagsSection
          flags={d.flags.filter((f) => !bcu || f.bcu === bcu)}
          alerts={d.flagAlerts.filter((a) => !bcu || (a.data as Record<string, unknown> | undefined)?.bcu === bcu)}
          role={role}
          now={now}
          onDone={live.refresh}
        />
      )}
      {d.cases && <CasesSection cases={d.cases.filter((c) => !bcu || c.bcu === bcu)} role={role} now={now} onDone={live.refresh} />}
      {d.coverage && <TrainingSection coverage={d.coverage} bcu={bcu} bcus={d.bcus} courses={d.courses} role={role} now={now} onDone={live.refresh} />}
      {d.trainingDue && <TrainingDueSection due={d.trainingDue} bcu={bcu ? `${bcu} ${bcuName(bcu)}` : 'all BCUs'} />}
      {d.meetings && <LiaisonSection meetings={d.meetings.filter((m) => !bcu || m.bcu === bcu)} bcus={d.bcus} bcu={bcu} role={role} now={now} onDone={live.refresh} />}
      <SharingSection agreements={d.agreements} register={d.register} role={role} now={now} onDone={live.refresh} />
      {d.learning && <LearningSection recs={d.learning} role={role} now={now} onDone={live.refresh} />}
    </div>
  );
}


function Evidence({ subject, now }: { subject: DemandSubject; now: number }) {
  return (
    <details className="evidence">
      <summary>
        Evidence: {subject.incidents.length} contributing incident{subject.incidents.length === 1 ? '' : 's'}
      </summary>
      <ul>
        {subject.incidents.map((i) => (
          <li key={i.incident_id}>
            <a href={incidentHash(i.incident_id)}>{i.reference ?? i.incident_id}</a> · {formatTime(i.received_at, now)} ·{' '}
            {(i.type ?? '').replace(/_/g, ' ')} · {i.address ?? ''} · {formatNumber(i.officer_hours)} officer-hours
          </li>
        ))}
      </ul>
    </details>
  );
}

const kRaiseFlagFields: FieldSpec[] = [
  {
    name: 'reason',
    label: 'Why the team raises the flag',
    kind: 'textarea',
    hint: 'The contributing incidents go with the flag as its evidence. It lapses unless a health-led review follows.',
  },
];

/**
 * "Raise a flag" on a repeat-demand subject with no open flag: the team's reason, sent with the
 * subject; the server takes the evidence from its repeat demand. Once raised, says so and where.
 */
function RaiseFlag({ subject, label, role, now, onDone }: { subject: RaiseFlagSubject; label: string; role: string; now: number; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [raised, setRaised] = useState<Flag | null>(null);
  if (raised) {
    return (
      <p role="status" className="ok-text small" data-testid="flag-raised">
        Flag {raised.id} raised: a candidate awaiting the health-led review
        {raised.expires_at ? `; it ${flagExpiryText(raised.expires_at, now)} unless reviewed` : ''}. It is listed under High-intensity-user flags.{' '}
        <button type="button" className="small inline-button" onClick={() => focusFlag(raised.id)}>
          Go to the flag
        </button>
      </p>
    );
  }
  // An open form stays while the live list changes (someone else raised a flag first): the server's
  // refusal then says so in the form.
  if (!open && !mayRaiseFlag(role, subject)) return null;
  return open ? (
    <div className="raise-flag">
      <h4>Raise a high-intensity-user flag for {label}</h4>
      <RecordForm
        fields={kRaiseFlagFields}
        submitLabel="Raise the flag"
        nowMs={now}
        testId="raise-flag"
        fix={(body) => raiseFlagBody(subject, body)}
        onCancel={() => setOpen(false)}
        onSubmit={async (body) => {
          const flag = await api.send<Flag>('POST', '/api/hiu/flags', body);
          setRaised(flag);
          setOpen(false);
          onDone();
        }}
      />
    </div>
  ) : (
    <button type="button" className="small" onClick={() => setOpen(true)}>
      Raise a flag<span className="sr-only"> for {label}</span>
    </button>
  );
}

/** Brings a flag of the list into view and focus. */
function focusFlag(id: string) {
  const el = document.getElementById(flagElementId(id));
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}

const flagElementId = (id: string) => `hiu-flag-${id}`;

function DemandSection({ demand, bcu, role, now, onDone }: { demand: RepeatDemand; bcu: string; role: string; now: number; onDone: () => void }) {
  const rules = demand.rules.map((r) => `${r.subject.replace(/_/g, ' ')}: ${r.threshold} in ${countOf(r.window_days, 'day')}`).join(' · ');
  return (
    <Pane
      headId="team-demand-h"
      title={<>Repeat demand — {bcu}</>}
      count={
        <>
          {demand.persons.length} {demand.persons.length === 1 ? 'person' : 'persons'} · {demand.addresses.length}{' '}
          {demand.addresses.length === 1 ? 'address' : 'addresses'}
        </>
      }
      testId="repeat-demand"
    >
      <p className="small muted">Thresholds: {rules}. Ranked by officer-hours. {countOf(demand.contacts_scanned, 'contact')} scanned.</p>
      <h3>Persons</h3>
      <ListOrEmpty empty="No person over a threshold." className="demand-list">
        {demand.persons.map((p) => (
          <li key={p.person_id} data-testid="demand-person" data-person={p.person_id}>
            <p>
              <strong>{p.name ?? p.person_id}</strong>
              {p.date_of_birth ? ` (born ${formatDay(p.date_of_birth)})` : ''}
              {p.under_18 ? ' · under 18' : ''} — {countOf(p.contacts, 'contact')} in {countOf(p.window_days, 'day')} · {formatNumber(p.officer_hours)} officer-hours
              {p.flag_id ? ` · flag ${p.flag_id}` : ''}
            </p>
            <p className="small muted">
              {p.address} · over: {p.triggered.map((t) => `${t.count} ≥ ${t.threshold} in ${countOf(t.window_days, 'day')}`).join(', ')}
            </p>
            <Evidence subject={p} now={now} />
            <RaiseFlag subject={p} label={p.name ?? p.person_id} role={role} now={now} onDone={onDone} />
          </li>
        ))}
      </ListOrEmpty>
      <h3>Addresses</h3>
      <ListOrEmpty empty="No address over a threshold." className="demand-list">
        {demand.addresses.map((a) => (
          <li key={a.address_key} data-testid="demand-address" data-address={a.address_key}>
            <p>
              <strong>{a.address_key}</strong> — {countOf(a.contacts, 'contact')} in {countOf(a.window_days, 'day')} · {formatNumber(a.officer_hours)} officer-hours
              {a.flag_id ? ` · flag ${a.flag_id}` : ''}
            </p>
            <Evidence subject={a} now={now} />
            <RaiseFlag subject={a} label={a.address_key} role={role} now={now} onDone={onDone} />
          </li>
        ))}
      </ListOrEmpty>
    </Pane>
  );
}

/** A flag's or case's first line: its id, who or where it is about and its BCU, then `children`. */
function SubjectLine({ item, children }: { item: Flag | HiuCase; children: ReactNode }) {
  return (
    <p>
      <strong>
        {item.id}: {subjectLabel(item.subject)}
      </strong>{' '}
      ({item.bcu}) — {children}
    </p>
  );
}

/** The review form; a new review starts from the last one's health lead, organisation and lawful basis. */
function flagReviewFields(now: number, last?: FlagReview): FieldSpec[] {
  return [
    { name: 'health_lead', label: 'Health lead', kind: 'text', initial: last?.health_lead ?? '' },
    { name: 'health_organisation', label: 'Health organisation', kind: 'text', initial: last?.health_organisation ?? '' },
    { name: 'lawful_basis', label: 'Lawful basis for sharing', kind: 'textarea', initial: last?.lawful_basis ?? '' },
    { name: 'rationale', label: 'Rationale', kind: 'textarea' },
    { name: 'review_date', label: 'Review date (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 90) },
    { name: 'expires_on', label: 'Flag expires on (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 180) },
  ];
}

const kDecideFields: FieldSpec[] = [
  { name: 'decision', label: 'Decision', kind: 'select', options: [['case', 'Open a case'], ['no_action', 'No action']] },
  { name: 'reason', label: 'Reason', kind: 'textarea' },
  { name: 'owner_collar', label: 'Case owner (high-intensity officer’s collar)', kind: 'text', when: (v) => v.decision === 'case' },
];

/** The latest health-led review as saved: who, when, the lawful basis, the rationale and the review date. */
function LastReview({ review, now }: { review: FlagReview; now: number }) {
  return (
    <dl className="flag-review small" data-testid="flag-review-saved">
      <div>
        <dt>Reviewed</dt>
        <dd>
          {formatTime(review.at, now)} by {review.health_lead} ({review.health_organisation})
        </dd>
      </div>
      <div>
        <dt>Lawful basis</dt>
        <dd>{review.lawful_basis}</dd>
      </div>
      <div>
        <dt>Rationale</dt>
        <dd>{review.rationale}</dd>
      </div>
      <div>
        <dt>Review date</dt>
        <dd>{formatDay(review.review_date)}</dd>
      </div>
    </dl>
  );
}

function FlagsSection({ flags, alerts, role, now, onDone }: { flags: Flag[]; alerts: Alert[]; role: string; now: number; onDone: () => void }) {
  const [open, setOpen] = useState<{ id: string; step: 'review' | 'decide' } | null>(null);
  const mayManage = can(role, 'hiu.manage');
  const shown = new Set(flags.map((f) => f.id));
  return (
    <Pane headId="team-flags-h" title="High-intensity-user flags" count={flags.length} testId="hiu-flags">
      {alerts.length > 0 && (
        // The engine's alerts for reviews that have fallen due (RULES.md F31), each with the way to
        // its flag; recording the review closes the alert.
        <ul className="alerts-inline" data-testid="hiu-review-alerts">
          {alerts.map((a) => {
            const flag = String((a.data as Record<string, unknown> | undefined)?.flag_id ?? '');
            return (
              <li key={a.id} className="alert-msg warn-line" data-testid="hiu-review-alert">
                {a.message} <span className="muted small">({formatTime(a.raised_at, now)})</span>{' '}
                {shown.has(flag) && (
                  <button type="button" className="small" onClick={() => focusFlag(flag)}>
                    Show the flag<span className="sr-only"> {flag}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ListOrEmpty empty="No flags." className="flag-list">
        {flags.map((f) => {
          const review = flagReviewAction(f.status);
          const decide = flagStep(f.status) === 'decide';
          const last = f.reviews.length > 0 ? f.reviews[f.reviews.length - 1] : undefined;
          const due = reviewDueText(f);
          const step = open?.id === f.id ? open.step : null;
          return (
            <li key={f.id} id={flagElementId(f.id)} tabIndex={-1} data-testid="hiu-flag" data-flag={f.id} data-status={f.status} data-review-due={f.review_due ? 'true' : undefined}>
              <SubjectLine item={f}>{kFlagStatus[f.status] ?? f.status}</SubjectLine>
              {due && (
                <p className="review-due" data-testid="review-due">
                  {due}
                </p>
              )}
              <p className="small">{f.reason}</p>
              <p className="small muted">
                Raised {formatTime(f.raised_at, now)}
                {f.expires_at ? ` · ${flagExpiryText(f.expires_at, now)}` : ''}
                {f.case_id ? ` · ${f.case_id}` : ''}
              </p>
              {last && <LastReview review={last} now={now} />}
              {f.evidence?.incidents && <Evidence subject={f.evidence as DemandSubject} now={now} />}
              {mayManage && step === null && (review || decide) && (
                <div className="button-row">
                  {decide && (
                    <button type="button" className="small" onClick={() => setOpen({ id: f.id, step: 'decide' })}>
                      Decide: case or no action<span className="sr-only"> for {f.id}</span>
                    </button>
                  )}
                  {review && (
                    <button type="button" className={due ? 'small primary' : 'small'} onClick={() => setOpen({ id: f.id, step: 'review' })}>
                      {review.label}
                      <span className="sr-only"> for {f.id}</span>
                    </button>
                  )}
                </div>
              )}
              {mayManage && step !== null && (
                <RecordForm
                  fields={step === 'review' ? flagReviewFields(now, last) : kDecideFields}
                  submitLabel={step === 'review' ? (review?.submit ?? 'Save the review') : 'Save the decision'}
                  nowMs={now}
                  testId={`flag-${step}`}
                  onCancel={() => setOpen(null)}
                  onSubmit={async (body) => {
                    await api.send('POST', `/api/hiu/flags/${encodeURIComponent(f.id)}/${step}`, body);
                    setOpen(null);
                    onDone();
                  }}
                />
              )}
            </li>
          );
        })}
      </ListOrEmpty>
    </Pane>
  );
}

// Every section is sent, a cleared one as "": the server empties a section sent empty.
const kSaraFields: FieldSpec[] = [
  { name: 'sara.scanning', label: 'Scanning: the problem', kind: 'textarea', always: true },
  { name: 'sara.analysis', label: 'Analysis: why it happens', kind: 'textarea', always: true },
  { name: 'sara.response', label: 'Response: what the partners will do', kind: 'textarea', always: true },
  { name: 'sara.assessment', label: 'Assessment: how we will know it worked', kind: 'textarea', always: true },
];

function actionFields(now: number): FieldSpec[] {
  return [
    { name: 'text', label: 'Action', kind: 'text' },
    { name: 'owner', label: 'Owner', kind: 'text' },
    { name: 'due_on', label: 'Due on (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 14) },
  ];
}

const kCloseFields: FieldSpec[] = [{ name: 'reason', label: 'Why the case closes', kind: 'textarea' }];

function CasesSection({ cases, role, now, onDone }: { cases: HiuCase[]; role: string; now: number; onDone: () => void }) {
  const mayManage = can(role, 'hiu.manage');
  const cmd = useCommands();
  const [open, setOpen] = useState<{ id: string; form: 'plan' | 'action' | 'close' } | null>(null);
  const post = async (id: string, path: string, body: Record<string, unknown>) => {
    await api.send('POST', `/api/hiu/cases/${encodeURIComponent(id)}/${path}`, body);
    setOpen(null);
    onDone();
  };
  return (
    <Pane headId="team-cases-h" title="High-intensity-user cases" count={cases.length} testId="hiu-cases">
      <ListOrEmpty empty="No cases." className="flag-list">
        {cases.map((c) => {
          const sara = Object.entries(c.sara ?? {}).filter(([, v]) => v);
          const forms = mayManage && c.status === 'open';
          return (
            <li key={c.id} data-testid="hiu-case" data-case={c.id} data-status={c.status}>
              <SubjectLine item={c}>
                {c.status} · owner {c.owner.name} ({c.owner.collar}) · opened {formatTime(c.opened_at, now)}
              </SubjectLine>
              <p className="small" data-testid="case-demand">
                {caseDemandText(c.demand)}
              </p>
              {sara.length > 0 && (
                <dl className="sara small" data-testid="sara">
                  {sara.map(([k, v]) => (
                    <div key={k}>
                      <dt>{k.charAt(0).toUpperCase() + k.slice(1)}</dt>
                      <dd>{v}</dd>
                    </div>
                  ))}
                </dl>
              )}
              {c.actions.length > 0 && (
                <ul className="small case-actions">
                  {c.actions.map((a) => (
                    <li key={a.id} className={a.overdue ? 'warn-line' : ''} data-testid="case-action" data-status={a.status}>
                      {a.text} — {a.owner}, due {formatDay(a.due_on)} · {a.status}
                      {a.overdue ? ' (overdue)' : ''}
                      {forms && a.status === 'open' && (
                        <DoneButton
                          cmd={cmd}
                          action={a.id}
                          className="small inline-button"
                          send={() => api.send('POST', `/api/hiu/cases/${encodeURIComponent(c.id)}/actions/${encodeURIComponent(a.id)}/done`, {})}
                          onDone={onDone}
                        >
                          Done<span className="sr-only">: {a.text}</span>
                        </DoneButton>
                      )}
                      {cmd.error(a.id) && (
                        <span role="alert" className="form-error">
                          {' '}
                          {cmd.error(a.id)}
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {forms && open?.id !== c.id && (
                <div className="button-row">
                  <button type="button" className="small" onClick={() => setOpen({ id: c.id, form: 'plan' })}>
                    {sara.length > 0 ? 'Update the SARA plan' : 'Write the SARA plan'}
                  </button>
                  <button type="button" className="small" onClick={() => setOpen({ id: c.id, form: 'action' })}>
                    Add an action
                  </button>
                  <button type="button" className="small" onClick={() => setOpen({ id: c.id, form: 'close' })}>
                    Close the case
                  </button>
                </div>
              )}
              {forms && open?.id === c.id && (
                <RecordForm
                  fields={open.form === 'plan' ? kSaraFields.map((f) => ({ ...f, initial: (c.sara as Record<string, string> | undefined)?.[f.name.slice(5)] ?? '' })) : open.form === 'action' ? actionFields(now) : kCloseFields}
                  submitLabel={open.form === 'plan' ? 'Save the plan' : open.form === 'action' ? 'Add the action' : 'Close the case'}
                  nowMs={now}
                  testId={`case-form-${open.form}`}
                  check={open.form === 'plan' ? (body) => saraPlanProblem(c.sara, body) : undefined}
                  onCancel={() => setOpen(null)}
                  onSubmit={(body) => post(c.id, open.form === 'plan' ? 'plan' : open.form === 'action' ? 'actions' : 'close', body)}
                />
              )}
            </li>
          );
        })}
      </ListOrEmpty>
    </Pane>
  );
}

const kTrainingColumns: Column[] = [
  { label: 'BCU' },
  { label: 'Trained', num: true },
  { label: 'Refresher due', num: true },
  { label: 'Lapsed', num: true },
  { label: 'Target', num: true },
];

function TrainingSection({ coverage, bcu, bcus, courses, role, now, onDone }: { coverage: Coverage; bcu: string; bcus: Bcu[]; courses: Course[] | null; role: string; now: number; onDone: () => void }) {
  const shown = { ...coverage, bcus: coverage.bcus.filter((b) => !bcu || b.code === bcu) };
  return (
    <Pane
      headId="team-training-h"
      title="Training coverage per BCU"
      count={<>force: {formatNumber(coverage.force.trained)} of {formatNumber(coverage.force.target)} ({formatNumber(coverage.force.percent_of_target)}%)</>}
      testId="training"
    >
      <p className="small muted">Officers with current mental-health training as a share of each BCU’s part of the force target.</p>
      <BarChart items={coverageItems(shown)} title="Training coverage per BCU" testId="training-chart" />
      <details>
        <summary>The figures</summary>
        <DataTable label="Training figures per BCU" columns={kTrainingColumns}>
          {shown.bcus.map((b) => (
            <tr key={b.code}>
              <th scope="row">
                {b.code} {b.name}
              </th>
              <td className="num">{b.trained}</td>
              <td className="num">{b.refresher_due}</td>
              <td className="num">{b.lapsed}</td>
              <td className="num">{b.target}</td>
            </tr>
          ))}
        </DataTable>
      </details>
      {can(role, 'training.manage') && courses && <TrainingRecordForms bcus={bcus} bcu={bcu} courses={courses} now={now} onDone={onDone} />}
    </Pane>
  );
}

const kDueColumns: Column[] = [
  { label: 'Officer' },
  { label: 'BCU' },
  { label: 'Course' },
  { label: 'Last completed' },
  { label: 'Refresher due' },
  { label: 'Days' },
];

/** Rows shown before "and N more": a force has thousands of officers. */
const kDueShown = 100;

function TrainingDueSection({ due, bcu }: { due: TrainingDueList; bcu: string }) {
  const rows = sortTrainingDue(due.officers);
  const shown = rows.slice(0, kDueShown);
  return (
    <Pane
      headId="team-training-due-h"
      title="Refreshers due or overdue"
      count={
        <>
          {bcu}: <span className={due.overdue > 0 ? 'overdue-count' : undefined}>{formatNumber(due.overdue)} overdue</span>, {formatNumber(due.due)} due
        </>
      }
      testId="training-due"
    >
      {rows.length === 0 ? (
        <p className="empty">Nobody’s refresher is due or overdue.</p>
      ) : (
        <>
          <DataTable label="Officers whose refreshers are due or overdue" columns={kDueColumns}>
            {shown.map((t) => (
              <tr key={`${t.collar}:${t.course_id}`} className={t.days_to_due < 0 ? 'row-warn' : undefined} data-testid="training-due-row" data-status={t.status}>
                <th scope="row">
                  {t.name} <span className="muted nowrap">({t.collar})</span>
                </th>
                <td>{t.bcu}</td>
                <td>{t.course}</td>
                <td className="nowrap">{formatDay(t.completed_on)}</td>
                <td className="nowrap">{formatDay(t.due_on)}</td>
                <td className="nowrap">{trainingDueText(t)}</td>
              </tr>
            ))}
          </DataTable>
          {rows.length > shown.length && <p className="small muted">…and {formatNumber(rows.length - shown.length)} more.</p>}
        </>
      )}
    </Pane>
  );
}


/**
 * A link to a section of this page. The app routes by the hash (#/team), so a plain "#id" link
 * would be taken for a screen and send other roles home: this one scrolls to the heading instead.
 */
function PageLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <a
      href={`#${to}`}
      onClick={(e) => {
        e.preventDefault();
        const heading = document.getElementById(to);
        heading?.scrollIntoView({ block: 'start' });
        if (heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading?.focus();
      }}
    >
      {children}
    </a>
  );
}
