// The Team page's training records (training.manage: mh_team, admins): one officer's completion
// recorded by hand, or a file of completions from the learning system imported at once — all or
// nothing, or the rows that can be read with the others listed by line.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/instance';
import type { Bcu } from '../api/types';
import type { FieldSpec } from '../lib/forms';
import { asImportReport, importFileProblem, importSummary, londonDatePlus } from '../lib/team';
import type { TrainingImportReport } from '../lib/team';
import { formatDay } from '../lib/time';
import { RecordForm } from '../mh/RecordForm';

export interface Course {
  id: string;
  title: string;
  refresh_months: number;
}

/** Lines of a report listed before "and N more". */
const kListed = 20;

function recordFields(bcus: Bcu[], bcu: string, courses: Course[], now: number): FieldSpec[] {
  return [
    { name: 'collar', label: 'Collar number', kind: 'text' },
    { name: 'name', label: 'Officer’s name', kind: 'text' },
    { name: 'bcu', label: 'Officer’s BCU', kind: 'select', required: true, options: [['', 'Choose…'], ...bcus.map((b) => [b.code, `${b.code} ${b.name}`] as const)], initial: bcu },
    { name: 'course_id', label: 'Course', kind: 'select', required: true, options: [['', 'Choose…'], ...courses.map((c) => [c.id, c.title] as const)] },
    { name: 'completed_on', label: 'Completed on (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 0), short: 'Completed on' },
  ];
}

export function TrainingRecordForms({ bcus, bcu, courses, now, onDone }: { bcus: Bcu[]; bcu: string; courses: Course[]; now: number; onDone: () => void }) {
  const [open, setOpen] = useState<'record' | 'import' | null>(null);
  const [recorded, setRecorded] = useState<string | null>(null);
  return (
    <div className="training-forms" data-testid="training-forms">
      {recorded && open === null && (
        <p role="status" className="ok-text small" data-testid="completion-recorded">
          {recorded}
        </p>
      )}
      {open === null && (
        <div className="button-row">
          <button type="button" className="small" onClick={() => setOpen('record')}>
            Record a completion
          </button>
          <button type="button" className="small" onClick={() => setOpen('import')}>
            Import completions (CSV)
          </button>
        </div>
      )}
      {open === 'record' && (
        <div>
          <h3>Record a completion</h3>
          <RecordForm
            fields={recordFields(bcus, bcu, courses, now)}
            submitLabel="Record the completion"
            nowMs={now}
            testId="record-completion"
            onCancel={() => setOpen(null)}
            onSubmit={async (body) => {
              await api.send('POST', '/api/training/completions', body);
              const course = courses.find((c) => c.id === body.course_id)?.title ?? String(body.course_id);
              setRecorded(`Recorded: ${course}, ${String(body.name)} (${String(body.collar)}), completed ${formatDay(String(body.completed_on))}.`);
              setOpen(null);
              onDone();
            }}
          />
        </div>
      )}
      {open === 'import' && <ImportCompletions onCancel={() => setOpen(null)} onDone={onDone} />}
    </div>
  );
}

function ImportCompletions({ onCancel, onDone }: { onCancel: () => void; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'all_or_nothing' | 'valid_rows'>('all_or_nothing');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<{ report: TrainingImportReport; refused: boolean } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const unfit = importFileProblem(file);
    if (unfit !== null || file === null) return setProblem(unfit);
    setPending(true);
    try {
      const csv = await file.text();
      const report = await api.send<TrainingImportReport>('POST', '/api/training/completions/import', { csv, mode, file_name: file.name });
      setResult({ report, refused: false });
      onDone();
    } catch (err) {
      const report = err instanceof ApiError ? asImportReport(err.details) : null;
      if (report) setResult({ report, refused: true });
      else setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setPending(false);
    }
  }

  const lines = (title: string, list: TrainingImportReport['rejected'], testId: string) =>
    list.length > 0 && (
      <div data-testid={testId}>
        <p className="small">
          <strong>{title}</strong>
        </p>
        <ul className="small">
          {list.slice(0, kListed).map((r) => (
            <li key={r.line}>
              Line {r.line}
              {r.collar ? ` (${r.collar})` : ''}: {r.reason}
            </li>
          ))}
        </ul>
        {list.length > kListed && <p className="small muted">…and {list.length - kListed} more.</p>}
      </div>
    );

  return (
    <form className="record-form" onSubmit={submit} data-testid="import-completions" noValidate>
      <h3>Import completions</h3>
      <p className="small muted">A CSV with the columns collar, name, bcu, course, completed_on (YYYY-MM-DD) and optionally session_id, as the learning system exports them.</p>
      <div className="field">
        <label htmlFor="import-file">CSV file</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          aria-invalid={problem !== null && !file ? true : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setResult(null);
            setProblem(null);
          }}
        />
      </div>
      <fieldset className="field checks-field">
        <legend>If some rows cannot be read</legend>
        <div className="check-field">
          <input type="radio" id="import-mode-none" name="import-mode" checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} />
          <label htmlFor="import-mode-none">Import nothing, and list them</label>
        </div>
        <div className="check-field">
          <input type="radio" id="import-mode-rest" name="import-mode" checked={mode === 'valid_rows'} onChange={() => setMode('valid_rows')} />
          <label htmlFor="import-mode-rest">Import the rest, and list them</label>
        </div>
      </fieldset>
      {problem && (
        <div className="refusal" role="alert" data-testid="refusal">
          <strong>Not imported: </strong>
          {problem}
        </div>
      )}
      {result && (
        <div className={result.refused ? 'refusal' : 'import-result'} role={result.refused ? 'alert' : 'status'} data-testid="import-result">
          <p>{importSummary(result.report, result.refused)}</p>
          {lines('Rejected', result.report.rejected, 'import-rejected')}
          {lines('Skipped', result.report.skipped, 'import-skipped')}
        </div>
      )}
      <div className="button-row">
        <button type="submit" disabled={pending}>
          {pending ? 'Importing…' : 'Import'}
        </button>
        <button type="button" onClick={onCancel}>
          {result && !result.refused ? 'Done' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
