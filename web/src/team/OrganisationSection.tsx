// The Team page's organisation part: the org_vacancy alerts (each with a way to its BCU's posts),
// strength per BCU, and a chosen BCU's posts — who holds each since when, or how long it has been
// empty — which the team (team.manage: mh_team, admins) fills or vacates.

import { useState } from 'react';
import { api } from '../api/instance';
import type { Alert } from '../api/types';
import type { FieldSpec } from '../lib/forms';
import { countOf } from '../lib/plural';
import { can } from '../lib/roles';
import { kPostFunctions, postStateText, postTitle } from '../lib/team';
import { formatTime } from '../lib/time';
import { RecordForm } from '../mh/RecordForm';
import { DataTable } from '../ui/DataTable';
import type { Column } from '../ui/DataTable';
import { ListOrEmpty, Pane } from '../ui/Pane';
import type { Organisation } from './types';

const kStrengthColumns: Column[] = [
  { label: 'BCU' },
  { label: 'Strength', num: true },
  { label: 'Vacancies', num: true },
  { label: 'Liaison officer' },
  { label: 'Functions uncovered' },
];

export function OrganisationSection({ alerts, organisation, bcu, role, now, onDone, onChooseBcu }: { alerts: Alert[]; organisation: Organisation | null; bcu: string; role: string; now: number; onDone: () => void; onChooseBcu: (code: string) => void }) {
  const shown = alerts.filter((a) => !bcu || (a.data as Record<string, unknown> | undefined)?.bcu === bcu);
  const rows = (organisation?.bcus ?? []).filter((b) => !bcu || b.code === bcu);
  return (
    <Pane headId="team-org-h" title="Organisation" count={countOf(shown.length, 'alert')} testId="team-organisation">
      <ListOrEmpty empty="No open organisation alerts." className="org-alerts">
        {shown.map((a) => (
          <li key={a.id} className="alert-msg warn-line" data-testid="org-alert">
            <strong>{formatTime(a.raised_at, now)}</strong> {a.message}
            {/* From the alert to the posts that would clear it. */}
            {!bcu && organisation && typeof (a.data as Record<string, unknown> | undefined)?.bcu === 'string' && (
              <>
                {' '}
                <button type="button" className="small inline-button" onClick={() => onChooseBcu(String((a.data as Record<string, unknown>).bcu))}>
                  Show the posts<span className="sr-only"> of {String((a.data as Record<string, unknown>).bcu)}</span>
                </button>
              </>
            )}
          </li>
        ))}
      </ListOrEmpty>
      {rows.length > 0 && (
        <DataTable label="Team strength per BCU" columns={kStrengthColumns}>
          {rows.map((b) => (
            <tr key={b.code} className={b.below_strength || !b.has_liaison ? 'row-warn' : ''}>
              <th scope="row">
                {b.code} {b.name}
              </th>
              <td className="num">
                {b.strength} of {b.establishment} ({b.strength_percent}%)
              </td>
              <td className="num">{b.vacancies}</td>
              <td>{b.has_liaison ? 'In post' : 'Vacant'}</td>
              <td>{b.functions_uncovered.length === 0 ? '—' : b.functions_uncovered.join(', ').replace(/_/g, ' ')}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {organisation &&
        (bcu ? (
          rows.map((b) => <PostsList key={b.code} bcu={b} role={role} now={now} onDone={onDone} />)
        ) : (
          <p className="muted small" data-testid="posts-hint">
            Choose a BCU above to see its posts{can(role, 'team.manage') ? ' and fill or vacate them' : ''}.
          </p>
        ))}
    </Pane>
  );
}

function assignFields(kind: string): FieldSpec[] {
  const fields: FieldSpec[] = [
    { name: 'collar', label: 'Collar number', kind: 'text' },
    { name: 'name', label: 'Name', kind: 'text' },
    { name: 'rank', label: 'Rank', kind: 'text', initial: kind === 'sergeant' ? 'PS' : 'PC' },
  ];
  if (kind === 'constable') fields.push({ name: 'function', label: 'Function', kind: 'select', options: kPostFunctions, required: true });
  return fields;
}

const kVacateFields: FieldSpec[] = [
  { name: 'reason', label: 'Why the post falls vacant', kind: 'textarea' },
  { name: 'effective_at', label: 'Leaves on (empty: now)', kind: 'datetime', short: 'Leaves on' },
];

/**
 * A BCU's posts: who holds each, or how long it has been empty; the team (mh_team, admins) puts
 * an officer in a vacant post or vacates a held one, now or on a notified day. Filling the post
 * that cleared an organisation alert takes the alert off the board (the server closes it).
 */
function PostsList({ bcu, role, now, onDone }: { bcu: Organisation['bcus'][number]; role: string; now: number; onDone: () => void }) {
  const mayManage = can(role, 'team.manage');
  const [open, setOpen] = useState<{ id: string; form: 'assign' | 'vacate' } | null>(null);
  const post = async (id: string, path: 'assign' | 'vacate', body: Record<string, unknown>) => {
    await api.send('POST', `/api/team/posts/${encodeURIComponent(id)}/${path}`, body);
    setOpen(null);
    onDone();
  };
  return (
    <section aria-labelledby={`posts-${bcu.code}-h`} className="team-posts" data-testid="team-posts">
      <h3 id={`posts-${bcu.code}-h`}>
        Posts — {bcu.code} {bcu.name}
      </h3>
      <ul className="flag-list post-list">
        {bcu.posts.map((p) => {
          const label = `${postTitle(p)} (${p.id})`;
          const form = open?.id === p.id ? open.form : null;
          return (
            <li key={p.id} data-testid="team-post" data-post={p.id} data-vacant={String(p.vacant)}>
              <strong>{postTitle(p)}</strong> <span className="muted small">{p.id}</span>
              <div className={p.vacant ? 'small warn-line' : 'small'} data-testid="post-state">
                {postStateText(p, now)}
              </div>
              {mayManage && !form && (
                <div className="button-row">
                  {p.vacant ? (
                    <button type="button" className="small" onClick={() => setOpen({ id: p.id, form: 'assign' })}>
                      Fill the post<span className="sr-only"> of {label}</span>
                    </button>
                  ) : (
                    !p.vacates_at && (
                      <button type="button" className="small" onClick={() => setOpen({ id: p.id, form: 'vacate' })}>
                        Vacate<span className="sr-only"> the post of {label}</span>
                      </button>
                    )
                  )}
                </div>
              )}
              {form === 'assign' && (
                <RecordForm
                  fields={assignFields(p.kind)}
                  submitLabel="Put in post"
                  nowMs={now}
                  testId="post-assign"
                  onCancel={() => setOpen(null)}
                  onSubmit={(body) => post(p.id, 'assign', body)}
                />
              )}
              {form === 'vacate' && (
                <RecordForm fields={kVacateFields} submitLabel="Vacate the post" nowMs={now} testId="post-vacate" onCancel={() => setOpen(null)} onSubmit={(body) => post(p.id, 'vacate', body)} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
