// The Team page's learning part: the register of learning recommendations (the IOPC's, a
// coroner's, an inspectorate's) with the force's response, actions, evidence and status, and the
// progress the team (learning.manage: mh_team, admins) records on them.

import { useState } from 'react';
import { api } from '../api/instance';
import type { FieldSpec } from '../lib/forms';
import { can } from '../lib/roles';
import { kLearningActionStatuses, kLearningStatuses, kResponses, learningOverdue, learningUpdateBody } from '../lib/team';
import { formatDay, formatTime } from '../lib/time';
import { RecordForm } from '../mh/RecordForm';
import { Pane } from '../ui/Pane';
import type { LearningRecommendation } from './types';

function learningUpdateFields(r: LearningRecommendation): FieldSpec[] {
  return [
    { name: 'status', label: 'Status', kind: 'select', options: kLearningStatuses, initial: r.status },
    { name: 'evidence', label: 'Evidence to add (optional)', kind: 'textarea', short: 'Evidence' },
    {
      name: 'action.index',
      label: 'An action’s progress (optional)',
      kind: 'select',
      options: [['', 'No action'], ...r.actions.map((a, i) => [String(i), `${i + 1}. ${a.text}`] as const)],
      short: 'Action',
    },
    { name: 'action.status', label: 'The action’s status', kind: 'select', options: kLearningActionStatuses, when: (v) => v['action.index'] !== '' },
    { name: 'action.evidence', label: 'The action’s evidence (optional)', kind: 'text', when: (v) => v['action.index'] !== '' },
  ];
}

/**
 * The register of learning recommendations (the IOPC's, a coroner's, an inspectorate's): the
 * force's response and rationale, actions, evidence and status; the team (mh_team, admins)
 * records progress — a new status, evidence, an action's status — which the register keeps.
 */
export function LearningSection({ recs, role, now, onDone }: { recs: LearningRecommendation[]; role: string; now: number; onDone: () => void }) {
  const mayManage = can(role, 'learning.manage');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Pane headId="team-learning-h" title="Learning recommendations" count={recs.length} testId="learning">
      <ul className="flag-list">
        {recs.map((r) => {
          const late = learningOverdue(r, now);
          const label = `${r.source} ${r.reference} ${r.number}`;
          return (
            <li key={r.id} data-testid="learning-rec" data-rec={r.id} data-status={r.status} data-overdue={late ? 'true' : undefined}>
              <p>
                <strong>
                  {r.source} {r.reference} {r.number}
                </strong>{' '}
                — {r.title}
              </p>
              <p className="small">
                Response: <strong>{kResponses[r.response] ?? r.response}</strong> · status {r.status.replace(/_/g, ' ')} · owner {r.owner} ·{' '}
                <span className={late ? 'warn-line' : undefined}>
                  due {formatDay(r.due_on)}
                  {late ? ' (overdue)' : ''}
                </span>
              </p>
              <details>
                <summary>Rationale, actions and evidence</summary>
                <p className="small">{r.rationale}</p>
                <ul className="small">
                  {r.actions.map((a, i) => (
                    <li key={i} className={learningOverdue(a, now) ? 'warn-line' : undefined}>
                      {a.text} — {a.owner}, due {formatDay(a.due_on)}
                      {learningOverdue(a, now) ? ' (overdue)' : ''}, {a.status.replace(/_/g, ' ')}
                      {a.evidence ? ` (evidence: ${a.evidence})` : ''}
                    </li>
                  ))}
                </ul>
                {r.evidence.length > 0 && <p className="small">Evidence: {r.evidence.join('; ')}</p>}
                <p className="small muted">Updated {formatTime(r.updated_at, now)}</p>
              </details>
              {mayManage && open !== r.id && (
                <div className="button-row">
                  <button type="button" className="small" onClick={() => setOpen(r.id)}>
                    Record progress<span className="sr-only"> on {label}</span>
                  </button>
                </div>
              )}
              {mayManage && open === r.id && (
                <RecordForm
                  fields={learningUpdateFields(r)}
                  submitLabel="Save the progress"
                  nowMs={now}
                  testId="learning-update"
                  fix={(body) => learningUpdateBody(r, body)}
                  onCancel={() => setOpen(null)}
                  onSubmit={async (body) => {
                    await api.send('POST', `/api/learning-recommendations/${encodeURIComponent(r.id)}/update`, body);
                    setOpen(null);
                    onDone();
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </Pane>
  );
}
