// The auditor's check of the log's hash chain (GET /api/audit/verify): every event read back from
// the store, its hash and its link to the one before checked, as `concordat verify` does from the
// command line. An edit, deletion or reordering made behind the server's back shows as the first
// broken or missing event.

import { useState } from 'react';
import { api } from '../api/instance';
import { formatNumber } from '../lib/charts';
import { formatTime } from '../lib/time';
import { errorMessage } from '../live/useCommands';

export interface VerifyReport {
  ok: boolean;
  /** Events that check out: all of them, or those before the first bad one. */
  count: number;
  head_hash: string | null;
  first_bad_seq: number | null;
  problem: string | null;
  checked_at: string;
  seconds: number;
}

/** What a check found, in words. */
export function verifyText(r: VerifyReport): string {
  if (r.ok) {
    return r.count === 0 ? 'The log is empty: there is nothing to check yet.' : `Whole: all ${formatNumber(r.count)} events check out, each linked to the one before.`;
  }
  const before = r.count === 0 ? 'No event before it checks out.' : r.count === 1 ? 'The one event before it checks out.' : `The ${formatNumber(r.count)} events before it check out.`;
  return `Broken at event ${formatNumber(r.first_bad_seq ?? 0)}: ${r.problem ?? 'unreadable'}. ${before}`;
}

export function LogCheck({ now }: { now: number }) {
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function check() {
    setRunning(true);
    setError(null);
    try {
      setReport(await api.get<VerifyReport>('/api/audit/verify'));
    } catch (err) {
      setReport(null);
      setError(errorMessage(err));
    } finally {
      setRunning(false);
    }
  }
  return (
    <section className="log-check" aria-labelledby="log-check-h" data-testid="log-check">
      <h2 id="log-check-h">The log’s integrity</h2>
      <p className="muted small">
        Reads every event back from the store and checks its hash and its link to the one before, as <code>concordat verify</code> does: an edit, deletion or reordering shows as the first broken event. A log of millions of events takes seconds.
      </p>
      <button type="button" className="primary" onClick={() => void check()} disabled={running}>
        {running ? 'Checking the log…' : 'Check the log now'}
      </button>
      {error && (
        <div role="alert" className="error-box">
          <p>Could not check the log: {error}</p>
        </div>
      )}
      {report && (
        <div className={report.ok ? 'log-check-result' : 'error-box'} role={report.ok ? 'status' : 'alert'} data-testid="log-check-result" data-ok={String(report.ok)}>
          <p className={report.ok ? 'ok-text' : undefined}>{verifyText(report)}</p>
          {report.ok && report.head_hash && (
            <p className="small">
              Head hash <code className="hash">{report.head_hash}</code>
            </p>
          )}
          <p className="muted small">
            Checked at {formatTime(report.checked_at, now, { seconds: true })} in {report.seconds < 1 ? 'under a second' : `${report.seconds.toFixed(1)} s`}.
          </p>
        </div>
      )}
    </section>
  );
}
