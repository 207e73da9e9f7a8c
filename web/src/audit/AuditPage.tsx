// The auditor's screen: the access log — who read or was disclosed what, when, under which
// categories and why (GET /api/audit/access). It is not on the event stream, so the page says
// when it was read and reads again on Refresh or when the filter changes. Above it, the check of the
// log's hash chain (LogCheck).

import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import { londonLocalToIso } from '../lib/forms';
import { roleLabel } from '../lib/roles';
import { londonDatePlus } from '../lib/team';
import { formatTime } from '../lib/time';
import { useNow } from '../lib/useNow';
import { errorMessage } from '../live/useCommands';
import { LogCheck } from './LogCheck';

export interface AccessEntry {
  id: number;
  at: string;
  user_id: string;
  role: string;
  agency_id: string;
  action: string;
  what: string;
  /** The information-sharing categories disclosed, as the log keeps them (one text). */
  categories: string;
  justification: string;
  recipient: string;
  route: string;
}

export interface AccessFilter {
  user: string;
  what: string;
  from: string;
  to: string;
}

const kLimit = 500;

/**
 * The query for a filter: blank fields are left out; dates are whole London days, as every time
 * on screen is London time: from the start of `from` to the last millisecond of `to`.
 */
export function accessPath(f: AccessFilter): string {
  const q = new URLSearchParams();
  if (f.user.trim()) q.set('user', f.user.trim());
  if (f.what.trim()) q.set('what', f.what.trim());
  const from = f.from ? londonLocalToIso(`${f.from}T00:00`) : null;
  const after = f.to ? londonLocalToIso(`${londonDatePlus(Date.parse(`${f.to}T12:00:00Z`), 1)}T00:00`) : null;
  if (from) q.set('from', from);
  if (after) q.set('to', new Date(Date.parse(after) - 1).toISOString());
  q.set('limit', String(kLimit));
  return `/api/audit/access?${q.toString()}`;
}

export function AuditPage() {
  const [filter, setFilter] = useState<AccessFilter>({ user: '', what: '', from: '', to: '' });
  const [applied, setApplied] = useState<AccessFilter>(filter);
  const [entries, setEntries] = useState<AccessEntry[] | null>(null);
  // The persons a name in "What" stood for, as the server matched them.
  const [matched, setMatched] = useState<Array<{ id: string; name: string }> | null>(null);
  const [readAt, setReadAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const now = useNow(1000, 0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const load = useCallback(async (f: AccessFilter) => {
    setLoading(true);
    setError(null);
    try {
      const r = await api.get<{ entries: AccessEntry[]; count: number; matched_persons?: Array<{ id: string; name: string }> }>(accessPath(f));
      setEntries(r.entries);
      setMatched(r.matched_persons ?? null);
      setReadAt(Date.now());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setApplied({ ...filter });
  }

  const set = (k: keyof AccessFilter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="page audit-page" data-testid="audit-page">
      <div className="mh-head">
        <h1 ref={heading} tabIndex={-1}>
          Audit
        </h1>
        <span className="muted small" role="status" data-testid="audit-read-at">
          {loading ? 'Reading…' : readAt !== null ? `As read at ${formatTime(readAt, now, { seconds: true })} — not live` : ''}
        </span>
      </div>
      <LogCheck now={now} />
      <h2 className="audit-access-h">Access log: who read what</h2>
      <p className="muted small">
        Who read or was disclosed what, when, under which information-sharing categories and why: newest first, up to {kLimit}.
      </p>
      <form className="audit-filter form-row" onSubmit={submit} aria-label="Filter the access log">
        <div className="field">
          <label htmlFor="audit-user">User (username or id)</label>
          <input id="audit-user" value={filter.user} onChange={set('user')} autoComplete="off" maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="audit-what">What (a person’s name, person-1, inc-4)</label>
          <input id="audit-what" value={filter.what} onChange={set('what')} autoComplete="off" placeholder="Sam Taylor" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From (date)</label>
          <input id="audit-from" type="date" value={filter.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (date)</label>
          <input id="audit-to" type="date" value={filter.to} onChange={set('to')} />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={loading}>
            Show
          </button>
          <button type="button" onClick={() => void load(applied)} disabled={loading}>
            Refresh
          </button>
        </div>
      </form>
      {error && (
        <div role="alert" className="error-box">
          <p>Could not read the access log: {error}</p>
        </div>
      )}
      {matched && (
        <p className="small" data-testid="audit-matched">
          {matched.length > 0 ? `Reads of ${matched.map((p) => `${p.name} (${p.id})`).join(', ')}` : `No person’s name contains “${applied.what.trim()}”.`}
        </p>
      )}
      {entries && entries.length === 0 && <p className="empty">No access matches the filter.</p>}
      {entries && entries.length > 0 && (
        <div className="table-wrap">
          <table data-testid="audit-table">
            <caption className="sr-only">Access log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Categories</th>
                <th scope="col">Why / to whom</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-entry">
                  <td>
                    <time dateTime={e.at}>{formatTime(e.at, now, { seconds: true })}</time>
                  </td>
                  <td>
                    {e.user_id}
                    <br />
                    <span className="muted small">
                      {roleLabel(e.role)}
                      {e.agency_id ? ` · ${e.agency_id}` : ''}
                    </span>
                  </td>
                  <td>{e.action}</td>
                  <td>
                    {e.what}
                    {e.route ? (
                      <>
                        <br />
                        <span className="muted small">{e.route}</span>
                      </>
                    ) : null}
                  </td>
                  <td>{e.categories || '—'}</td>
                  <td>
                    {e.justification || '—'}
                    {e.recipient ? ` · to ${e.recipient}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
