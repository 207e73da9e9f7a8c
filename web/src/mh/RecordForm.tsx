// One form for every step and record: fields from a spec (lib/forms.ts), the
// server's refusal shown in the form, next to the step — the rule it names in
// its message, and the field it names marked and focused.
//
// Live data may change the fields' defaults while the form is open (the next
// handover stage once health accepts): they are followed only until the person
// changes something. From then on the form keeps what they chose, says what
// has moved, and the server refuses what no longer makes sense. Fields the form
// cannot read are marked and nothing is sent; `confirm` asks before a step that
// cannot be undone.

import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { FieldProblem, FieldSpec, Values } from '../lib/forms';
import { buildBody, editValue, fieldProblems, fieldsForError, initialValues, movedDefaults, problemMessages, shownValues, visibleFields } from '../lib/forms';
import { readablePaths } from '../live/useCommands';

interface Props {
  fields: FieldSpec[];
  submitLabel: string;
  /** Sends the body; rejects with the server's error. */
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
  /** Adjusts the body after it is built (fields that are the form's own). */
  fix?: (body: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Why the body, as built, is not to be sent (nothing in it, nothing changed), or null to send
   * it: said in the form as "Not sent: …", which stays open.
   */
  check?: (body: Record<string, unknown>) => string | null;
  nowMs: number;
  testId?: string;
  onCancel?: () => void;
  /** Asked before sending (a step that cannot be undone): the question, from the values. */
  confirm?: (values: Values) => string;
  /** The button that answers yes to `confirm`. */
  confirmLabel?: string;
}

interface Refusal {
  /** The server's words; empty when the form itself found problems. */
  message: string;
  status: number;
  /** The fields to mark: the one the server named, or each one the form could not read. */
  fields: string[];
  problems: FieldProblem[];
  /** Why the form as a whole was not sent (`check`): said until the person changes something. */
  notSent?: string;
  /** The server's problems, one each, when it named several at once. */
  listed?: string[];
}

export function RecordForm({ fields, submitLabel, onSubmit, fix, check, nowMs, testId, onCancel, confirm, confirmLabel = 'Yes' }: Props) {
  const uid = useId();
  // Null until the person changes something: until then the form shows the fields' defaults as
  // they are now. `base` is what the defaults were when they started.
  const [edited, setEdited] = useState<Values | null>(null);
  const [base, setBase] = useState<Values | null>(null);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = (name: string) => `${uid}-${name.replace(/\./g, '-')}`;
  const errId = `${uid}-error`;
  const confirmId = `${uid}-confirm`;
  const values = shownValues(fields, edited);
  const shown = visibleFields(fields, values);
  const moved = base ? movedDefaults(fields, base, values) : [];

  const focusLater = (elementId: string) => requestAnimationFrame(() => document.getElementById(elementId)?.focus());

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    setRefusal(null);
    // What the form cannot read is the person's to correct: nothing is sent.
    const problems = fieldProblems(fields, values);
    if (problems.length > 0) {
      setConfirming(null);
      setRefusal({ message: '', status: 0, fields: problems.map((p) => p.field), problems });
      focusLater(id(problems[0].field));
      return;
    }
    const built = buildBody(fields, values, nowMs);
    const notSent = check ? check(fix ? fix(built) : built) : null;
    if (notSent) {
      setConfirming(null);
      setRefusal({ message: '', status: 0, fields: [], problems: [], notSent });
      focusLater(errId);
      return;
    }
    if (confirm && confirming === null) {
      setConfirming(confirm(values));
      focusLater(confirmId);
      return;
    }
    setPending(true);
    try {
      const body = buildBody(fields, values, nowMs);
      await onSubmit(fix ? fix(body) : body);
      // Saved: the next record (the next handover stage, the next welfare check) starts blank
      // rather than carrying this one's notes, and follows the record again.
      setEdited(null);
      setBase(null);
      setConfirming(null);
    } catch (err) {
      setConfirming(null);
      const api = err instanceof ApiError ? err : null;
      // Every field the server could not take is marked (it names them all at once).
      const named = fieldsForError(fields, values, api?.field, api?.details);
      // After "Not recorded: " the server's words stay as they are, its field paths read as words.
      setRefusal({
        message: readablePaths(err instanceof Error ? err.message : String(err)),
        status: api?.status ?? 0,
        fields: named,
        problems: [],
        // Several rules or fields at once: one line each rather than one run-on sentence.
        listed: problemMessages(api?.details).map(readablePaths),
      });
      // Focus the first field the server named, else the message.
      focusLater(named.length > 0 ? id(named[0]) : errId);
    } finally {
      setPending(false);
    }
  }

  const set = (name: string, v: Values[string]) => {
    setEdited((old) => editValue(fields, old, name, v));
    setBase((old) => old ?? initialValues(fields));
    setConfirming(null);
    // A problem the form found in this field is the person's to correct: once they change it, it
    // is no longer said (the others stay until they are corrected too).
    setRefusal((old) => {
      if (old?.notSent) return null;
      if (!old || !old.problems.some((p) => p.field === name)) return old;
      const problems = old.problems.filter((p) => p.field !== name);
      return problems.length === 0 ? null : { ...old, problems, fields: problems.map((p) => p.field) };
    });
  };
  // Back to the record as it is now: the person's changes are dropped.
  const startAgain = () => {
    setEdited(null);
    setBase(null);
    setRefusal(null);
    setConfirming(null);
  };

  return (
    <form ref={formRef} className="record-form" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
      {shown.map((f) => {
        const invalid = refusal?.fields.includes(f.name) ?? false;
        const problem = refusal?.problems.find((p) => p.field === f.name);
        const problemId = `${id(f.name)}-problem`;
        const describedBy = [f.hint ? `${id(f.name)}-hint` : '', problem ? problemId : invalid ? errId : ''].filter(Boolean).join(' ') || undefined;
        const problemText = problem && (
          <p className="field-error" id={problemId} data-testid="field-problem">
            {problem.message}
          </p>
        );
        const v = values[f.name];
        if (f.kind === 'checkbox') {
          return (
            <div className="field check-field" key={f.name}>
              <input
                type="checkbox"
                id={id(f.name)}
                checked={v === true}
                onChange={(e) => set(f.name, e.target.checked)}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
              />
              <label htmlFor={id(f.name)}>{f.label}</label>
              {problemText}
            </div>
          );
        }
        if (f.kind === 'checkboxes') {
          const list = Array.isArray(v) ? v : [];
          return (
            <fieldset className="field checks-field" key={f.name} aria-invalid={invalid || undefined} aria-describedby={describedBy}>
              <legend>{f.label}</legend>
              {(f.options ?? []).map(([ov, ol], i) => (
                <div className="check-field" key={ov}>
                  <input
                    type="checkbox"
                    id={i === 0 ? id(f.name) : `${id(f.name)}-${ov}`}
                    checked={list.includes(ov)}
                    onChange={(e) => set(f.name, e.target.checked ? [...list, ov] : list.filter((x) => x !== ov))}
                  />
                  <label htmlFor={i === 0 ? id(f.name) : `${id(f.name)}-${ov}`}>{ol}</label>
                </div>
              ))}
              {problemText}
            </fieldset>
          );
        }
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id(f.name)}>{f.label}</label>
            {f.kind === 'select' ? (
              <select
                id={id(f.name)}
                value={String(v ?? '')}
                onChange={(e) => set(f.name, e.target.value)}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
              >
                {(f.options ?? []).map(([ov, ol]) => (
                  <option key={ov} value={ov}>
                    {ol}
                  </option>
                ))}
                {/* Kept from before the options changed: shown as it is, not as the first option. */}
                {!(f.options ?? []).some(([ov]) => ov === v) && (
                  <option value={String(v ?? '')}>{String(v ?? '')} (no longer offered)</option>
                )}
              </select>
            ) : f.kind === 'textarea' ? (
              <textarea
                id={id(f.name)}
                rows={2}
                value={String(v ?? '')}
                onChange={(e) => set(f.name, e.target.value)}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
              />
            ) : (
              <input
                id={id(f.name)}
                // A number is typed as text: the browser's number field reads "3.5x" as nothing at
                // all, and what the form cannot read must be said, not dropped.
                type={f.kind === 'datetime' ? 'datetime-local' : 'text'}
                inputMode={f.kind === 'number' ? 'numeric' : undefined}
                placeholder={f.kind === 'time' ? 'HH:MM' : undefined}
                value={String(v ?? '')}
                onChange={(e) => set(f.name, e.target.value)}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
              />
            )}
            {f.hint && (
              <p className="form-hint" id={`${id(f.name)}-hint`}>
                {f.hint}
              </p>
            )}
            {problemText}
          </div>
        );
      })}
      {moved.length > 0 && (
        <div className="moved-note" role="status" data-testid="moved">
          <p>
            The record changed while this form was open; it would now suggest {moved.join('; ')}. What you chose is kept: check
            it before you save.
          </p>
          <button type="button" className="small" onClick={startAgain}>
            Start again from the record as it is now
          </button>
        </div>
      )}
      {refusal && (
        <div className="refusal" role="alert" id={errId} tabIndex={-1} data-testid="refusal" data-status={refusal.status}>
          {refusal.notSent ? (
            <>
              <strong>Not sent: </strong>
              {refusal.notSent}
            </>
          ) : refusal.problems.length > 0 ? (
            <>
              <strong>Not sent: </strong>
              {refusal.problems.length === 1 ? (
                refusal.problems[0].message
              ) : (
                <ul>
                  {refusal.problems.map((p) => (
                    <li key={p.field}>{p.message}</li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <>
              <strong>{refusal.status === 422 ? 'Not allowed: ' : 'Not recorded: '}</strong>
              {refusal.listed && refusal.listed.length > 1 ? (
                <ul>
                  {refusal.listed.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              ) : (
                refusal.message
              )}
            </>
          )}
        </div>
      )}
      {confirming !== null ? (
        <div className="confirm-box" role="alert" id={confirmId} tabIndex={-1} data-testid="confirm">
          <p>{confirming}</p>
          <div className="button-row">
            <button type="submit" className="danger" disabled={pending}>
              {pending ? 'Saving…' : confirmLabel}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Go back
            </button>
          </div>
        </div>
      ) : (
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending}>
            {pending ? 'Saving…' : submitLabel}
          </button>
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      )}
    </form>
  );
}
