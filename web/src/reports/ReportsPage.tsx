// Reports (supervisors, the Mental Health Team, analysts, admins): choose a
// report, a window of London days and optionally a BCU; see its headline
// numbers, and each table as a bar chart, the table, and a CSV download.
// Built against the shape of GET /api/reports/{name} (lib/reports.ts); it
// says so plainly when the server has no reports yet. "Now" is the server's
// (GET /api/health, as the live pages correct for it): the default window,
// whether a window is over, and which times are today.

import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/instance';
import type { Bcu } from '../api/types';
import { londonLocalToIso } from '../lib/forms';
import { chartItems, clockSkewMs, csvFilename, defaultWindow, detentionCell, handoverWaitState, kNotGeneric, csvPath, financialYear, financialYearLabel, formatCell, rcrpBreakdowns, reportPath, summaryLabel, summaryUnit, windowSpansDays, windowState, windowText } from '../lib/reports';
import type { CellText, Report, ReportListItem, ReportQuery, ReportTable } from '../lib/reports';
import { londonDatePlus } from '../lib/team';
import { formatTime } from '../lib/time';
import { BarChart } from '../mh/BarChart';
import { DataTable } from '../ui/DataTable';
import { BcuField } from '../ui/Field';

export function ReportsPage() {
  const [list, setList] = useState<ReportListItem[] | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [bcus, setBcus] = useState<Bcu[]>([]);
  const [name, setName] = useState('');
  // The server's clock minus this browser's (0 until GET /api/health answers).
  const [skewMs, setSkewMs] = useState(0);
  const [from, setFrom] = useState(() => defaultWindow(Date.now()).from);
  const [to, setTo] = useState(() => defaultWindow(Date.now()).to);
  // Set once the user picks a day: the server's clock no longer moves the window.
  const windowEdited = useRef(false);
  const userWindow = (set: (day: string) => void) => (day: string) => {
    windowEdited.current = true;
    set(day);
  };
  const [bcu, setBcu] = useState('');
  const [report, setReport] = useState<{ q: ReportQuery; r: Report } | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    api
      .get<{ reports: ReportListItem[] }>('/api/reports')
      .then((r) => {
        const generic = r.reports.filter((x) => !kNotGeneric.has(x.name));
        setList(generic);
        setName((n) => n || generic[0]?.name || '');
      })
      .catch((e: unknown) => setListError(e instanceof ApiError ? e : new ApiError(0, { code: 'internal', message: String(e) })));
    api
      .get<Bcu[]>('/api/reference/bcus')
      .then(setBcus)
      .catch(() => undefined);
    // The default window is the last week by the server's clock, not this browser's.
    const asked = Date.now();
    api
      .get<{ now?: string }>('/api/health')
      .then((h) => {
        const skew = clockSkewMs(h.now, (asked + Date.now()) / 2);
        setSkewMs(skew);
        if (!windowEdited.current) {
          const w = defaultWindow(Date.now() + skew);
          setFrom(w.from);
          setTo(w.to);
        }
      })
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (report) resultHeading.current?.focus();
  }, [report]);

  async function show(e: FormEvent) {
    e.preventDefault();
    // The window is whole London days: from the start of `from` to the end of `to`.
    const fromIso = londonLocalToIso(`${from}T00:00`);
    const toDay = londonDatePlus(Date.parse(`${to}T12:00:00Z`), 1);
    const toIso = londonLocalToIso(`${toDay}T00:00`);
    if (!fromIso || !toIso) {
      setError('Give the dates as YYYY-MM-DD.');
      return;
    }
    const q: ReportQuery = { name, from: fromIso, to: toIso, bcu };
    setPending(true);
    setError(null);
    try {
      setReport({ q, r: await api.get<Report>(reportPath(q)) });
    } catch (err) {
      setReport(null);
      // The server's words, as a sentence.
      const m = err instanceof Error ? err.message : String(err);
      setError(m.charAt(0).toUpperCase() + m.slice(1));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page reports-page" data-testid="reports-page">
      <h1 ref={heading} tabIndex={-1}>
        Reports
      </h1>
      {listError ? (
        <div className={listError.status === 404 ? 'notice' : 'error-box'} role={listError.status === 404 ? 'status' : 'alert'} data-testid="reports-unavailable">
          <p>
            {listError.status === 404
              ? 'This server has no reports yet (GET /api/reports is not there).'
              : `Could not list the reports: ${listError.message}`}
          </p>
        </div>
      ) : !list ? (
        <p role="status" className="loading">
          Loading the list of reports…
        </p>
      ) : (
        <form className="pane report-form" onSubmit={(e) => void show(e)} noValidate>
          <div className="form-row">
            <div className="field mid">
              <label htmlFor="report-name">Report</label>
              <select id="report-name" value={name} onChange={(e) => setName(e.target.value)}>
                {list.map((r) => (
                  <option key={r.name} value={r.name}>
                    {r.title}
                  </option>
                ))}
              </select>
            </div>
            <WindowDay id="report-from" label="From (London day)" value={from} onChange={userWindow(setFrom)} />
            <WindowDay id="report-to" label="To (inclusive)" value={to} onChange={userWindow(setTo)} />
            <BcuField id="report-bcu" bcus={bcus} value={bcu} onChange={(e) => setBcu(e.target.value)} />
          </div>
          <button type="submit" className="primary" disabled={pending || !name}>
            {pending ? 'Working…' : 'Show the report'}
          </button>
          {error && (
            <p role="alert" className="form-error">
              {error}
            </p>
          )}
        </form>
      )}
      {report && <ReportView q={report.q} r={report.r} nowMs={Date.now() + skewMs} headingRef={resultHeading} />}
      <S136Return nowMs={Date.now() + skewMs} />
    </div>
  );
}

/** Saves text as a file (the API needs the bearer token, which a plain link cannot send). */
function saveText(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function S136Return({ nowMs }: { nowMs: number }) {
  const current = financialYear(nowMs);
  const [chosen, setYear] = useState<number | null>(null);
  const year = chosen ?? current;
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<number | null>(null);
  const href = `/api/reports/s136?year=${year}`;
  async function download(e: React.MouseEvent) {
    e.preventDefault();
    setError(null);
    try {
      const text = await api.getText(href);
      setRows(Math.max(0, text.split(/\r?\n/).filter((l) => l.trim()).length - 1));
      saveText(text, `s136-return-${year}.csv`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <section className="pane" aria-labelledby="s136-return-h" data-testid="s136-return">
      <h2 id="s136-return-h">Home Office annual s136 return</h2>
      <p className="small muted">
        Every s136 detention decided in the financial year: age band, sex, ethnicity, first place of safety, transport and the
        reason for a police vehicle.
      </p>
      <div className="form-row">
        <div className="field narrow-field">
          <label htmlFor="s136-year">Financial year</label>
          <select id="s136-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[0, 1, 2, 3, 4].map((n) => (
              <option key={n} value={current - n}>
                {financialYearLabel(current - n)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <a href={href} onClick={(e) => void download(e)} className="csv-link" data-testid="s136-csv">
        Download the {financialYearLabel(year)} return (CSV)
      </a>
      {rows !== null && (
        <p className="ok-text" role="status">
          Downloaded: {rows} {rows === 1 ? 'detention' : 'detentions'}.
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </section>
  );
}

function ReportView({ q, r, nowMs, headingRef }: { q: ReportQuery; r: Report; nowMs: number; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const state = windowState(r);
  // Over several London days a time needs its date: "08:52" alone could be any of them.
  const time = { withDate: windowSpansDays(r.from, r.to) };
  return (
    <section className="report" aria-labelledby="report-h" data-testid="report" data-report={r.report}>
      <h2 id="report-h" ref={headingRef} tabIndex={-1}>
        {r.title}
      </h2>
      <p className="small muted" data-testid="report-window">
        {windowText(r.from, r.to)}
        {q.bcu ? ` · BCU ${q.bcu}` : ' · all BCUs'} ·{' '}
        {state === 'not_started'
          ? 'the window has not started yet: no figures yet'
          : state === 'running'
            ? `figures as at ${formatTime(r.generated_at, nowMs)}: the window is not over yet`
            : `generated ${formatTime(r.generated_at, nowMs)}`}
      </p>
      {state !== 'not_started' && Object.keys(r.summary).length > 0 && (
        <dl className="summary" data-testid="report-summary">
          {Object.entries(r.summary).map(([k, v]) => (
            <div key={k}>
              <dt>{summaryLabel(k, Object.keys(r.summary), r.summary)}</dt>
              <dd>{formatCell(v, summaryUnit(k))}</dd>
            </div>
          ))}
        </dl>
      )}
      {state !== 'not_started' &&
        r.tables.map((t) =>
          r.report === 'mental-health' && t.name === 'rcrp_outcomes' ? (
            <RcrpView key={t.name} q={q} t={t} />
          ) : (
            <ReportTableView key={t.name} q={q} t={t} cell={cellFor(r, t, nowMs, time)} />
          ),
        )}
    </section>
  );
}

/** One end of the report's window, a London day; a change marks the window as the user's own. */
function WindowDay({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (day: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** How a table's cells read: the detentions say what is still running; every other cell is its value for people. */
function cellFor(r: Report, t: ReportTable, nowMs: number, time: { withDate: boolean }): CellText {
  if (r.report === 'mental-health' && t.name === 'detentions') {
    return (row, c) => detentionCell(row, c, handoverWaitState(row), nowMs, time);
  }
  return (row, c) => formatCell(row[c.key], c.unit, nowMs, time);
}

/** A table's CSV link: the CSV needs the bearer token, which a plain link cannot send. */
function CsvLink({ q, t }: { q: ReportQuery; t: ReportTable }) {
  const [csvError, setCsvError] = useState<string | null>(null);
  const href = csvPath(q, t.name);
  async function download(e: React.MouseEvent) {
    e.preventDefault();
    setCsvError(null);
    try {
      saveText(await api.getText(href), csvFilename(q, t.name));
    } catch (err) {
      setCsvError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <>
      <a href={href} onClick={(e) => void download(e)} className="csv-link" data-testid="csv-link">
        Download CSV<span className="sr-only"> of {t.title}</span>
      </a>
      {csvError && (
        <p role="alert" className="form-error">
          {csvError}
        </p>
      )}
    </>
  );
}

function ReportTableView({ q, t, cell }: { q: ReportQuery; t: ReportTable; cell: CellText }) {
  return (
    <section className="pane report-table" aria-labelledby={`t-${t.name}`} data-testid="report-table" data-table={t.name}>
      <div className="pane-head">
        <h3 id={`t-${t.name}`}>{t.title}</h3>
        <CsvLink q={q} t={t} />
      </div>
      <TableFigures t={t} cell={cell} />
    </section>
  );
}

/** A table's bar chart and the table itself. */
function TableFigures({ t, cell }: { t: ReportTable; cell: CellText }) {
  if (t.rows.length === 0) return <p className="empty">{t.empty || 'None in this window.'}</p>;
  const chart = chartItems(t, cell);
  return (
    <>
      {chart && chart.items.length > 0 && (
        <BarChart items={chart.items} title={`${t.title}: ${chart.value.label} by ${chart.label.label}`} testId="report-chart" />
      )}
      {chart && chart.omitted > 0 && (
        <p className="small muted" data-testid="chart-omitted">
          {chart.items.length === 0 ? `No ${chart.value.label.toLowerCase()} above zero to chart` : `Bars for the ${chart.items.length} ${chart.items.length === 1 ? 'row' : 'rows'} above zero`}; the table has all {t.rows.length}.
        </p>
      )}
      <DataTable label={`${t.title} (table)`} columns={t.columns.map((c) => ({ key: c.key, label: c.label, num: !!c.unit }))}>
        {t.rows.map((row, i) => (
          <tr key={i}>
            {t.columns.map((c) => (
              <td key={c.key} className={c.unit || typeof row[c.key] === 'number' ? 'num' : undefined}>
                {cell(row, c)}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/**
 * Right Care, Right Person outcomes: the server's one table of "breakdown: outcome" rows, shown
 * as its breakdowns, each with its own chart and table, and each adding up on its own.
 */
function RcrpView({ q, t }: { q: ReportQuery; t: ReportTable }) {
  const parts = rcrpBreakdowns(t);
  const cell: CellText = (row, c) => formatCell(row[c.key], c.unit);
  return (
    <section className="pane report-table" aria-labelledby={`t-${t.name}`} data-testid="report-table" data-table={t.name}>
      <div className="pane-head">
        <h3 id={`t-${t.name}`}>Right Care, Right Person outcomes</h3>
        <CsvLink q={q} t={t} />
      </div>
      <p className="small muted">
        {parts.length === 3 ? 'Three breakdowns' : `${parts.length} breakdowns`}, each adding up on its own: police attendance and the triage
        threshold of every mental-health incident; where callers were signposted, of those below the police threshold.
      </p>
      {parts.map((b) => (
        <section key={b.key} className="rcrp-breakdown" aria-labelledby={`t-${b.table.name}`} data-testid="rcrp-breakdown" data-breakdown={b.key}>
          <h4 id={`t-${b.table.name}`}>{b.title}</h4>
          {b.of && <p className="small muted">{b.of}</p>}
          {b.table.rows.length === 0 ? <p className="empty">{b.none}</p> : <TableFigures t={b.table} cell={cell} />}
        </section>
      ))}
    </section>
  );
}
