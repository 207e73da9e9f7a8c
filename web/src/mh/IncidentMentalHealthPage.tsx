// An incident's mental-health records, for the officer at the scene (phone
// first) and the control room: the detentions with their clocks, starting a
// new s136/s135 record, and the decision records — National Decision Model,
// Mental Capacity Act s5 capacity and s6 restraint, use of force.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/instance';
import type { DecisionRecord, IncidentMentalHealth } from '../api/mh';
import type { Health, IncidentDetail, User } from '../api/types';
import { Freshness } from '../board/Freshness';
import { clockView } from '../lib/detention';
import type { FieldSpec } from '../lib/forms';
import { kCapacityFields, kDecisionFields, kNdmFields, kTriageFields, kUseOfForceFields, decisionBodyFix, restraintFields, triageBodyFix } from '../lib/mhForms';
import { can, incidentHash } from '../lib/roles';
import type { StreamEvent } from '../lib/stream';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { useLive } from '../live/useLive';
import { LoadState } from '../ui/LoadState';
import { ListOrEmpty, Pane } from '../ui/Pane';
import { RecordForm } from './RecordForm';
import { detentionHash } from './links';

interface Props {
  id: string;
  user: User;
  onUnauthenticated: () => void;
}

interface Data {
  incident: IncidentDetail;
  mh: IncidentMentalHealth;
}

type RecordKind = 'ndm' | 'capacity' | 'restraint' | 'use_of_force';

const kRecordKinds: Record<RecordKind, { title: string; path: string; permission: 'decision.record' | 'force.record' }> = {
  ndm: { title: 'National Decision Model rationale', path: 'ndm', permission: 'decision.record' },
  capacity: { title: 'Mental capacity (MCA s5)', path: 'capacity', permission: 'force.record' },
  restraint: { title: 'Restraint (MCA s6)', path: 'restraint', permission: 'force.record' },
  use_of_force: { title: 'Use of force', path: 'use-of-force', permission: 'force.record' },
};

export function recordSummary(r: DecisionRecord): string {
  const d = r.data as Record<string, unknown>;
  const text = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  switch (r.kind) {
    case 'ndm':
      return text('decision');
    case 'capacity':
      return `${text('decision')} — unable to ${((d.unable_to as string[]) ?? []).join(', ').replace(/_/g, ' ')}`;
    case 'restraint':
      return `${text('type')}, ${String(d.duration_minutes ?? '?')} min — ${text('harm_prevented')}`;
    case 'use_of_force':
      return `${((d.types as string[]) ?? []).join(', ').replace(/_/g, ' ')}; body-worn video ${d.bwv_recording ? 'recording' : `not recording (${text('bwv_reason')})`}`;
    default:
      return r.kind;
  }
}

export function IncidentMentalHealthPage({ id, user, onUnauthenticated }: Props) {
  const load = useCallback(async () => {
    const health = await api.get<Health & { now?: string }>('/api/health');
    const [incident, mh] = await Promise.all([
      api.get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`),
      api.get<IncidentMentalHealth>(`/api/incidents/${encodeURIComponent(id)}/mental-health`),
    ]);
    return { data: { incident, mh }, seq: health.log_seq, now: health.now };
  }, [id]);
  // Reads here are logged accesses: reload for this incident's stream and its own detentions only.
  const detentionIds = useRef(new Set<string>());
  const relevant = useCallback(
    (e: StreamEvent) => e.stream === `incident/${id}` || (e.stream.startsWith('detention/') && detentionIds.current.has(e.stream.slice(10))),
    [id],
  );
  const live = useLive<Data>(`mh:${id}`, load, onUnauthenticated, relevant);
  const now = useNow(1000, live.skewMs);
  const [form, setForm] = useState<RecordKind | 'detention' | 'triage' | null>(null);
  const [triageWarnings, setTriageWarnings] = useState<string[]>([]);
  const [saved, setSaved] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = live.data !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  if (live.loadError || !live.data) {
    return (
      <div className="page mh-page">
        <h1 ref={heading} tabIndex={-1}>
          Mental-health records
        </h1>
        <LoadState error={live.loadError} onRetry={live.retry} failed="Could not load them" />
      </div>
    );
  }
  const { incident, mh } = live.data;
  detentionIds.current = new Set(mh.detentions.map((d) => d.id));
  const mayDetain = can(user.role, 'detention.record') && incident.status === 'open';
  const detentionOptions = mh.detentions.map((d) => [d.id, `${d.power} ${d.id}`] as const);
  const withDetention = (fields: FieldSpec[]): FieldSpec[] =>
    detentionOptions.length === 0
      ? fields
      : [{ name: 'detention_id', label: 'About the detention', kind: 'select', options: [['', 'None'], ...detentionOptions], initial: detentionOptions[detentionOptions.length - 1][0] }, ...fields];
  const capacityRecords = mh.records
    .filter((r) => r.kind === 'capacity')
    .map((r) => ({ id: r.id, label: `${r.id} at ${formatTime(r.at, now)}: ${String((r.data as Record<string, unknown>).decision ?? '')}`.slice(0, 80) }));
  const fieldsFor: Record<RecordKind, FieldSpec[]> = {
    ndm: withDetention(kNdmFields),
    capacity: withDetention(kCapacityFields),
    restraint: withDetention(restraintFields(capacityRecords)),
    use_of_force: withDetention(kUseOfForceFields),
  };

  async function triage(body: Record<string, unknown>) {
    const r = await api.send<{ version: number; warnings?: string[] }>('POST', `/api/incidents/${encodeURIComponent(id)}/triage`, body);
    setTriageWarnings(r.warnings ?? []);
    setSaved(`RCRP triage version ${r.version} recorded.`);
    setForm(null);
    live.refresh();
  }

  async function startDetention(body: Record<string, unknown>) {
    const reply = await api.send<{ id: string }>('POST', `/api/incidents/${encodeURIComponent(id)}/detentions`, body);
    window.location.hash = detentionHash(reply.id);
  }

  async function record(kind: RecordKind, body: Record<string, unknown>) {
    if (body.detention_id === undefined || body.detention_id === '') delete body.detention_id;
    const r = await api.send<DecisionRecord>('POST', `/api/incidents/${encodeURIComponent(id)}/${kRecordKinds[kind].path}`, body);
    setSaved(`${kRecordKinds[kind].title} recorded as ${r.id}.`);
    setForm(null);
    live.refresh();
  }

  return (
    <div className="page mh-page" data-testid="mh-page">
      <p className="back-link">
        <a href={incidentHash(id)}>← {incident.reference}</a>
      </p>
      <div className="mh-head">
        <h1 ref={heading} tabIndex={-1}>
          Mental-health records — {incident.reference}
        </h1>
        <Freshness status={live.status} clientNow={now - live.skewMs} skewMs={live.skewMs} />
      </div>
      <p className="small muted">
        {incident.location.address || 'No address'} · {incident.status}
      </p>
      {saved && (
        <p className="ok-text" role="status" data-testid="saved">
          {saved}
        </p>
      )}

      <Pane headId="triage-h" title="Right Care, Right Person triage" count={mh.triage.length === 0 ? 'not triaged' : `version ${mh.triage.length}`} testId="triage">
        {triageWarnings.length > 0 && (
          <div className="warnings" role="status">
            <strong>The server warns:</strong>
            <ul>
              {triageWarnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        {mh.triage.length === 0 ? (
          <p className="empty">No triage recorded.</p>
        ) : (
          <ul className="records-list">
            {[...mh.triage].reverse().map((t) => (
              <li key={String(t.version)} data-testid="triage-version">
                <TriageView t={t} now={now} />
              </li>
            ))}
          </ul>
        )}
        {can(user.role, 'mh.triage') && incident.status === 'open' && form !== 'triage' && (
          <div className="section-actions">
            <button type="button" className="small" onClick={() => { setForm('triage'); setSaved(''); }}>
              {mh.triage.length === 0 ? 'Record the triage' : `Triage again (version ${mh.triage.length + 1})`}
            </button>
          </div>
        )}
        {form === 'triage' && (
          <RecordForm fields={kTriageFields} fix={triageBodyFix} submitLabel="Save the triage" nowMs={now} onSubmit={triage} onCancel={() => setForm(null)} testId="form-triage" />
        )}
      </Pane>

      <Pane headId="detentions-h" title="Detentions" count={mh.detentions.length} testId="detentions">
        <ListOrEmpty empty="No detention on this incident." className="detention-list">
          {mh.detentions.map((d) => {
            const c = clockView(d, now);
            return (
              <li key={d.id}>
                <a href={detentionHash(d.id)}>
                  {d.power} {d.id}
                </a>{' '}
                {d.status === 'ended' ? '' : `— ${d.status.replace(/_/g, ' ')} `}· <span className={`clock-inline tone-${c.tone}`}>{c.text}</span>
              </li>
            );
          })}
        </ListOrEmpty>
        {mayDetain && form !== 'detention' && (
          <div className="section-actions">
            <button type="button" className="primary" onClick={() => setForm('detention')}>
              Start a detention record (s136 / s135)
            </button>
          </div>
        )}
        {mayDetain && form === 'detention' && (
          <div className="inline-form">
            <h3>New detention record</h3>
            <p className="small muted">The server checks the law: if it says no, it names the rule here.</p>
            <RecordForm
              fields={kDecisionFields}
              fix={decisionBodyFix}
              submitLabel="Record the decision to detain"
              nowMs={now}
              onSubmit={startDetention}
              onCancel={() => setForm(null)}
              testId="form-decision"
            />
          </div>
        )}
      </Pane>

      <Pane headId="records-h" title="Decision and force records" count={mh.records.length} testId="records">
        <ListOrEmpty empty="None yet." className="records-list">
          {mh.records.map((r) => (
            <li key={r.id} data-testid="record" data-kind={r.kind}>
              <strong>{kRecordKinds[r.kind as RecordKind]?.title ?? r.kind}</strong> {r.id} · {formatTime(r.at, now)}
              {r.detention_id ? ` · ${r.detention_id}` : ''}
              <br />
              <span className="small">{recordSummary(r)}</span>
            </li>
          ))}
        </ListOrEmpty>
        {(Object.keys(kRecordKinds) as RecordKind[])
          .filter((k) => can(user.role, kRecordKinds[k].permission))
          .map((k) =>
            form === k ? (
              <div className="inline-form" key={k}>
                <h3>{kRecordKinds[k].title}</h3>
                <RecordForm
                  fields={fieldsFor[k]}
                  submitLabel={`Save the ${kRecordKinds[k].title.toLowerCase()} record`}
                  nowMs={now}
                  onSubmit={(body) => record(k, body)}
                  onCancel={() => setForm(null)}
                  testId={`form-${k}`}
                />
              </div>
            ) : (
              form === null && (
                <button type="button" key={k} className="small record-button" onClick={() => { setForm(k); setSaved(''); }}>
                  Record: {kRecordKinds[k].title}
                </button>
              )
            ),
          )}
      </Pane>
    </div>
  );
}

const kThresholds: Record<string, string> = {
  risk_to_life: 'real and immediate risk to life',
  serious_harm: 'risk of serious harm',
  crime: 'crime',
  none: 'none — police will not attend',
};

function TriageView({ t, now }: { t: Record<string, unknown>; now: number }) {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const awol = t.awol as Record<string, unknown> | undefined;
  const handover = t.warm_handover as Record<string, unknown> | undefined;
  const unit = t.mh_unit_request as Record<string, unknown> | undefined;
  return (
    <>
      <strong>
        v{String(t.version)} {formatTime(str(t.at), now)}
      </strong>{' '}
      {str(t.call_type).replace(/_/g, ' ')} · threshold: {kThresholds[str(t.threshold)] ?? str(t.threshold)}
      {t.caller_told ? ' · caller told' : ' · caller not yet told'}
      <br />
      <span className="small">{str(t.rationale)}</span>
      {t.signposted_to !== undefined && (
        <p className="small">
          Signposted to {str(t.signposted_to).replace(/_/g, ' ')}
          {str(t.signposted_detail) ? ` (${str(t.signposted_detail)})` : ''} · warm handover{' '}
          {handover?.made ? `made to ${str(handover.to) || 'the agency'}` : `not made: ${str(handover?.reason_not_made)}`}
        </p>
      )}
      {awol && (
        <p className="small">
          AWOL, {str(awol.patient_legal_status)}: {Array.isArray(awol.powers) ? (awol.powers as string[]).join('; ') : str(awol.powers)}
          {awol.late_report ? ' · reported late by the hospital' : ''}
        </p>
      )}
      {unit && (
        <p className="small">
          Request from {str(unit.unit) || 'a mental-health unit'}: {unit.mou_flag ? 'no MoU exception recorded (flagged)' : `MoU exception: ${str(unit.exception).replace(/_/g, ' ')}`}
        </p>
      )}
    </>
  );
}
