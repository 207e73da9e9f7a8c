// The Team page's information-sharing part: the agreements that decide what each partner agency
// sees (the server cuts every disclosure to them), and the register of memoranda of understanding
// and protocols. Supervisors and admins (agreement.manage) record an agreement or revoke one — a
// revocation stops every disclosure under it at once; the team, supervisors and admins
// (register.manage) add to the register.

import { useEffect, useState } from 'react';
import type { AgencyOption } from '../admin/accounts';
import { api } from '../api/instance';
import type { FieldSpec } from '../lib/forms';
import { agreementBody, agreementStanding, categoryLabel, conditionLabel, kCategories, kRegimes, registerBody } from '../lib/partners';
import { can } from '../lib/roles';
import { londonDatePlus } from '../lib/team';
import { londonDayText, parseIso } from '../lib/time';
import { RecordForm } from '../mh/RecordForm';
import { ListOrEmpty, Pane } from '../ui/Pane';
import type { Agreement } from '../partner/types';

export interface RegisterEntry {
  id: string;
  kind: string;
  title: string;
  parties: string[];
  status: string;
  review_date: string;
  review_overdue: boolean;
  document_link: string;
}

const kRegisterKinds: ReadonlyArray<readonly [string, string]> = [
  ['mou', 'Memorandum of understanding'],
  ['protocol', 'Protocol'],
  ['agreement', 'Agreement'],
];
const kRegisterStatuses: ReadonlyArray<readonly [string, string]> = [
  ['active', 'Active'],
  ['draft', 'Draft'],
  ['expired', 'Expired'],
  ['withdrawn', 'Withdrawn'],
];

function agreementFields(agencies: AgencyOption[], now: number): FieldSpec[] {
  return [
    { name: 'agency_id', label: 'Partner agency', kind: 'select', required: true, options: [['', 'Choose…'], ...agencies.map((a) => [a.id, a.name] as const)] },
    { name: 'categories', label: 'What may be disclosed to them', kind: 'checkboxes', options: kCategories },
    { name: 'regime', label: 'Lawful basis: regime', kind: 'select', options: kRegimes },
    { name: 'condition', label: 'Lawful basis: condition', kind: 'text', hint: 'e.g. Sch 1 para 2 (health or social care); Sch 8 para 4 (safeguarding)' },
    { name: 'purpose', label: 'Purpose', kind: 'textarea' },
    { name: 'start', label: 'In force from (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 0), short: 'In force from' },
    { name: 'end', label: 'Last day in force (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 365), short: 'Last day in force' },
    { name: 'review_date', label: 'Review on (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 300), short: 'Review on' },
  ];
}

const kRevokeFields: FieldSpec[] = [{ name: 'reason', label: 'Why it is revoked', kind: 'textarea' }];

function registerFields(now: number): FieldSpec[] {
  return [
    { name: 'kind', label: 'Kind', kind: 'select', options: kRegisterKinds },
    { name: 'title', label: 'Title', kind: 'text' },
    { name: 'parties', label: 'Parties', kind: 'textarea', hint: 'One per line.' },
    { name: 'status', label: 'Status', kind: 'select', options: kRegisterStatuses },
    { name: 'review_date', label: 'Review on (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 365), short: 'Review on' },
    { name: 'document_link', label: 'Where the document is (optional)', kind: 'text', short: 'Document' },
  ];
}

export function SharingSection({ agreements, register, role, now, onDone }: { agreements: Agreement[]; register: RegisterEntry[] | null; role: string; now: number; onDone: () => void }) {
  const mayAgree = can(role, 'agreement.manage');
  const mayRegister = can(role, 'register.manage');
  const [agencies, setAgencies] = useState<AgencyOption[]>([]);
  const [open, setOpen] = useState<{ form: 'agreement' | 'revoke' | 'register'; id?: string } | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<AgencyOption[]>('/api/agencies')
      .then((list) => live && setAgencies(list))
      .catch(() => undefined); // the list shows ids until the names come
    return () => {
      live = false;
    };
  }, []);
  // The force itself is not among the partner agencies ("mps" in the register's parties).
  const agencyName = (id: string) => agencies.find((a) => a.id === id)?.name ?? (id === 'mps' ? 'Metropolitan Police Service' : id);
  const send = async (path: string, body: Record<string, unknown>) => {
    await api.send('POST', path, body);
    setOpen(null);
    onDone();
  };
  const shown = [...agreements].sort((a, b) => Number(b.active) - Number(a.active) || agencyName(a.agency_id).localeCompare(agencyName(b.agency_id)));
  return (
    <Pane headId="team-sharing-h" title="Information sharing" count={`${agreements.filter((a) => a.active).length} in force`} testId="sharing">
      <h3 className="sub-head">Agreements with partner agencies</h3>
      <p className="small muted">What each agency may see of an incident shared with it: the server discloses nothing beyond the categories of an agreement in force.</p>
      <ListOrEmpty empty="No information-sharing agreement is recorded." className="flag-list">
        {shown.map((a) => {
          const standing = agreementStanding(a, now);
          return (
            <li key={a.id} data-testid="agreement-row" data-agreement={a.id} data-state={standing.state}>
              <strong>{agencyName(a.agency_id)}</strong> <span className="muted small">{a.id}</span>
              <div className={standing.state === 'active' ? 'small' : 'small warn-line'}>{standing.text}</div>
              <div className="small">Discloses: {a.categories.map(categoryLabel).join(', ')}</div>
              <div className="small muted">
                {kRegimes.find(([k]) => k === a.lawful_basis.regime)?.[1] ?? a.lawful_basis.regime}, {conditionLabel(a.lawful_basis.condition)} · {a.purpose}
              </div>
              {!a.revoked_at && (
                <div className={a.review_overdue ? 'small warn-line' : 'small'}>
                  Review {a.review_overdue ? 'overdue since' : 'on'} {londonDayText(parseIso(a.review_date))}
                </div>
              )}
              {mayAgree && !a.revoked_at && open?.id !== a.id && (
                <div className="button-row">
                  <button type="button" className="small" onClick={() => setOpen({ form: 'revoke', id: a.id })}>
                    Revoke<span className="sr-only"> the agreement with {agencyName(a.agency_id)}</span>
                  </button>
                </div>
              )}
              {open?.form === 'revoke' && open.id === a.id && (
                <RecordForm fields={kRevokeFields} submitLabel="Revoke the agreement" nowMs={now} testId="revoke-agreement" onCancel={() => setOpen(null)} onSubmit={(body) => send(`/api/sharing-agreements/${encodeURIComponent(a.id)}/revoke`, body)} />
              )}
            </li>
          );
        })}
      </ListOrEmpty>
      {mayAgree &&
        (open?.form === 'agreement' ? (
          <div>
            <h4 className="sub-head">Record an agreement</h4>
            <RecordForm
              fields={agreementFields(
                agencies.filter((a) => a.status === 'active'),
                now,
              )}
              submitLabel="Record the agreement"
              nowMs={now}
              testId="record-agreement"
              fix={agreementBody}
              onCancel={() => setOpen(null)}
              onSubmit={(body) => send('/api/sharing-agreements', body)}
            />
          </div>
        ) : (
          <div className="button-row">
            <button type="button" className="small" onClick={() => setOpen({ form: 'agreement' })}>
              Record an agreement
            </button>
          </div>
        ))}
      {register && (
        <>
          <h3 className="sub-head">Register of memoranda and protocols</h3>
          <ListOrEmpty empty="Nothing is in the register." className="flag-list">
            {register.map((e) => (
              <li key={e.id} data-testid="register-entry" data-entry={e.id}>
                <strong>{e.title}</strong> <span className="muted small">{kRegisterKinds.find(([k]) => k === e.kind)?.[1] ?? e.kind}</span>
                <div className="small">
                  {e.status} · {e.parties.map(agencyName).join(', ')}
                  {e.document_link ? ` · ${e.document_link}` : ''}
                </div>
                <div className={e.review_overdue ? 'small warn-line' : 'small'}>
                  Review {e.review_overdue ? 'overdue since' : 'on'} {londonDayText(parseIso(e.review_date))}
                </div>
              </li>
            ))}
          </ListOrEmpty>
          {mayRegister &&
            (open?.form === 'register' ? (
              <div>
                <h4 className="sub-head">Add to the register</h4>
                <RecordForm fields={registerFields(now)} submitLabel="Add to the register" nowMs={now} testId="add-register" fix={registerBody} onCancel={() => setOpen(null)} onSubmit={(body) => send('/api/register', body)} />
              </div>
            ) : (
              <div className="button-row">
                <button type="button" className="small" onClick={() => setOpen({ form: 'register' })}>
                  Add to the register
                </button>
              </div>
            ))}
        </>
      )}
    </Pane>
  );
}
