// Accounts: every account with its role, agency and state, and the record of every change to
// them (who made it, when). An administrator adds accounts, disables and enables them and sets
// passwords here; an auditor reads the same page without the controls. Accounts are not on the
// event stream, so the page says when it was read and reads again after each change or on Refresh.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { User } from '../api/types';
import { can, kAllRoles, roleLabel } from '../lib/roles';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { errorMessage, useCommands } from '../live/useCommands';
import type { Commands } from '../live/useCommands';
import { CommandError } from '../ui/CommandError';
import { CellLabel, DataTable } from '../ui/DataTable';
import { InputField, SelectField } from '../ui/Field';
import { accountBody, accountProblems, agenciesFor, agencyKindsFor, changeActor, changeText, kMinPassword, passwordSetText } from './accounts';
import type { Account, AccountChange, AgencyOption, NewAccount } from './accounts';


const kBlank: NewAccount = { username: '', name: '', role: '', agency_id: '', collar: '', password: '' };

interface Data {
  users: Account[];
  changes: AccountChange[];
  readAt: number;
}

export function AccountsPage({ user }: { user: User }) {
  const manage = can(user.role, 'account.manage');
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const cmd = useCommands();
  const now = useNow(1000, 0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const [u, c] = await Promise.all([
        api.get<{ users: Account[] }>('/api/admin/users'),
        api.get<{ changes: AccountChange[] }>('/api/admin/users/changes?limit=50'),
      ]);
      setData({ users: u.users, changes: c.changes, readAt: Date.now() });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  /** Sends a change under `key`; on success the page reads the accounts again. */
  const change = useCallback(
    async (key: string, path: string, body: unknown = {}) => {
      const r = await cmd.run(key, () => api.send<Account>('POST', path, body));
      if (r.ok) await load();
      return r.ok;
    },
    [cmd, load],
  );

  return (
    <div className="page accounts-page" data-testid="accounts-page">
      <div className="mh-head">
        <h1 ref={heading} tabIndex={-1}>
          Accounts
        </h1>
        <span className="muted small" role="status" data-testid="accounts-read-at">
          {loading ? 'Reading…' : data ? `As read at ${formatTime(data.readAt, now, { seconds: true })} — not live` : ''}
        </span>
        <button type="button" className="small" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
      </div>
      {!manage && <p className="muted small">Read only: accounts are changed by an administrator.</p>}
      {error && (
        <div role="alert" className="error-box">
          <p>Could not read the accounts: {error}</p>
        </div>
      )}
      {manage && <AddAccount cmd={cmd} onAdd={(body) => change('add', '/api/admin/users', body)} />}
      {data && (
        <section aria-labelledby="accounts-list-head">
          <h2 id="accounts-list-head">
            {data.users.length} account{data.users.length === 1 ? '' : 's'}
          </h2>
          <DataTable
            label="Accounts"
            stacked
            columns={[{ label: 'Username' }, { label: 'Name' }, { label: 'Role' }, { label: 'Agency' }, { label: 'State' }, ...(manage ? [{ label: 'Actions' }] : [])]}
          >
            {data.users.map((u) => (
              <AccountRow key={u.id} account={u} self={u.username === user.username} manage={manage} cmd={cmd} change={change} now={now} />
            ))}
          </DataTable>
        </section>
      )}
      {data && (
        <section aria-labelledby="accounts-changes-head">
          <h2 id="accounts-changes-head">Changes (latest {data.changes.length})</h2>
          {data.changes.length === 0 ? (
            <p className="empty">No change recorded.</p>
          ) : (
            <DataTable label="Account changes" columns={[{ label: 'When' }, { label: 'Change' }, { label: 'By' }]}>
              {data.changes.map((c) => (
                <tr key={c.id} data-testid="account-change">
                  <td>
                    <time dateTime={c.at}>{formatTime(c.at, now, { seconds: true })}</time>
                  </td>
                  <td>{changeText(c)}</td>
                  <td>{changeActor(c)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      )}
    </div>
  );
}

function AccountRow({
  account: u,
  self,
  manage,
  cmd,
  change,
  now,
}: {
  account: Account;
  self: boolean;
  manage: boolean;
  cmd: Commands;
  change: (key: string, path: string, body?: unknown) => Promise<boolean>;
  now: number;
}) {
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState<string | null>(null);
  const [passwordSet, setPasswordSet] = useState(false);
  const base = `/api/admin/users/${encodeURIComponent(u.username)}`;
  const key = `acct:${u.username}`;
  const shortPassword = password !== null && password.length < kMinPassword;
  async function setNewPassword(e: FormEvent) {
    e.preventDefault();
    if (password === null || shortPassword) return;
    if (await change(key, `${base}/password`, { password })) {
      setPassword(null);
      setPasswordSet(true);
    }
  }
  return (
    <tr role="row" data-testid="account-row" data-username={u.username} data-disabled={u.disabled}>
      <td role="cell" className="cell-title">
        <strong>{u.username}</strong>
        {u.demo && <span className="muted small"> (demo)</span>}
        {self && <span className="muted small"> (you)</span>}
      </td>
      <td role="cell">
        <CellLabel>Name</CellLabel>
        {u.name}
        {u.collar && <span className="muted small"> · {u.collar}</span>}
      </td>
      <td role="cell">
        <CellLabel>Role</CellLabel>
        {roleLabel(u.role)}
      </td>
      <td role="cell">
        <CellLabel>Agency</CellLabel>
        {u.agency.name}
      </td>
      <td role="cell">
        <CellLabel>State</CellLabel>
        {u.disabled ? <span className="pill risk-high">Disabled</span> : 'Active'}
        {u.sign_in_locked_until && (
          <>
            {' '}
            <span className="pill risk-medium" data-testid="sign-in-locked">
              Sign-in locked until {formatTime(u.sign_in_locked_until, now)}
            </span>
          </>
        )}
      </td>
      {manage && (
        <td role="cell">
          <div className="button-row" role="group" aria-label={`${u.username} actions`}>
            {u.sign_in_locked_until && (
              <button type="button" className="small" disabled={cmd.pending(key)} onClick={() => void change(key, `${base}/unlock`)}>
                Unlock sign-in<span className="sr-only"> of {u.username}</span>
              </button>
            )}
            {u.disabled ? (
              <button type="button" className="small" disabled={cmd.pending(key)} onClick={() => void change(key, `${base}/enable`)}>
                Enable<span className="sr-only"> {u.username}</span>
              </button>
            ) : confirming ? (
              <>
                <span className="small">Disable {u.username}? Their sessions end now.</span>
                <button
                  type="button"
                  className="danger small"
                  disabled={cmd.pending(key)}
                  onClick={() => void change(key, `${base}/disable`).then(() => setConfirming(false))}
                >
                  Yes, disable
                </button>
                <button type="button" className="small" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </>
            ) : (
              !self && (
                <button type="button" className="danger-outline small" onClick={() => setConfirming(true)}>
                  Disable<span className="sr-only"> {u.username}</span>
                </button>
              )
            )}
            {password === null ? (
              <button
                type="button"
                className="small"
                onClick={() => {
                  setPasswordSet(false);
                  setPassword('');
                }}
              >
                Set password<span className="sr-only"> of {u.username}</span>
              </button>
            ) : (
              <form className="inline-form" onSubmit={(e) => void setNewPassword(e)} aria-label={`New password for ${u.username}`}>
                <label className="sr-only" htmlFor={`pw-${u.id}`}>
                  New password for {u.username}
                </label>
                <input
                  id={`pw-${u.id}`}
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  maxLength={512}
                  aria-invalid={shortPassword && password.length > 0 ? true : undefined}
                  placeholder={`${kMinPassword}+ characters`}
                  onChange={(e) => setPassword(e.target.value)}
                />
                <button type="submit" className="primary small" disabled={cmd.pending(key) || shortPassword}>
                  Save
                </button>
                <button type="button" className="small" onClick={() => setPassword(null)}>
                  Cancel
                </button>
              </form>
            )}
          </div>
          {passwordSet && (
            <p role="status" className="ok-text small" data-testid="password-set">
              {passwordSetText(u)}
            </p>
          )}
          <CommandError cmd={cmd} action={key} />
        </td>
      )}
    </tr>
  );
}

function AddAccount({ cmd, onAdd }: { cmd: Commands; onAdd: (body: unknown) => Promise<boolean> }) {
  const [form, setForm] = useState<NewAccount>(kBlank);
  const [tried, setTried] = useState(false);
  const [agencies, setAgencies] = useState<AgencyOption[]>([]);
  const [added, setAdded] = useState<string | null>(null);
  const problems = accountProblems(form);
  const partnerAgencies = agenciesFor(form.role, agencies);

  useEffect(() => {
    api
      .get<AgencyOption[]>('/api/agencies')
      .then(setAgencies)
      .catch(() => setAgencies([]));
  }, []);

  const set = (k: keyof NewAccount) => (e: { target: { value: string } }) => {
    setAdded(null);
    setForm((f) => ({ ...f, [k]: e.target.value, ...(k === 'role' ? { agency_id: '' } : {}) }));
  };
  const shown = (k: keyof NewAccount) =>
    tried && problems[k] ? (
      <p className="field-error" id={`acct-${k}-error`}>
        {problems[k]}
      </p>
    ) : undefined;
  const invalid = (k: keyof NewAccount) => (tried && problems[k] ? { 'aria-invalid': true, 'aria-describedby': `acct-${k}-error` } : {});

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    if (await onAdd(accountBody(form))) {
      setAdded(form.username);
      setForm(kBlank);
      setTried(false);
    }
  }

  return (
    <section aria-labelledby="accounts-add-head" className="accounts-add">
      <h2 id="accounts-add-head">Add an account</h2>
      <form className="form-row" onSubmit={(e) => void submit(e)} noValidate aria-label="Add an account">
        <InputField id="acct-username" label="Username" value={form.username} onChange={set('username')} autoComplete="off" maxLength={64} error={shown('username')} {...invalid('username')} />
        <InputField id="acct-name" label="Name" value={form.name} onChange={set('name')} autoComplete="off" maxLength={200} error={shown('name')} {...invalid('name')} />
        <SelectField
          id="acct-role"
          label="Role"
          value={form.role}
          onChange={set('role')}
          options={[{ code: '', label: 'Choose…' }, ...kAllRoles.map((r) => ({ code: r, label: roleLabel(r) }))]}
          error={shown('role')}
          {...invalid('role')}
        />
        {agencyKindsFor(form.role).length > 0 ? (
          <SelectField
            id="acct-agency"
            label="Agency"
            value={form.agency_id}
            onChange={set('agency_id')}
            options={[{ code: '', label: 'Choose…' }, ...partnerAgencies.map((a) => ({ code: a.id, label: a.name }))]}
            error={shown('agency_id')}
            {...invalid('agency_id')}
          />
        ) : (
          form.role && <p className="muted small">Agency: Metropolitan Police Service</p>
        )}
        {form.role === 'officer' && (
          <InputField id="acct-collar" label="Collar number" value={form.collar} onChange={set('collar')} autoComplete="off" maxLength={20} error={shown('collar')} {...invalid('collar')} />
        )}
        <InputField
          id="acct-password"
          label={`Password (${kMinPassword}+ characters)`}
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          maxLength={512}
          error={shown('password')}
          {...invalid('password')}
        />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={cmd.pending('add')}>
            {cmd.pending('add') ? 'Adding…' : 'Add account'}
          </button>
        </div>
      </form>
      <CommandError cmd={cmd} action="add" />
      {added && (
        <p role="status" className="ok-text">
          Added {added}. They can sign in now.
        </p>
      )}
    </section>
  );
}
