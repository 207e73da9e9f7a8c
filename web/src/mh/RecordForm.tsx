// One form for every step and record: fields from a spec (lib/forms.ts), the
// server's refusal shown in the form, next to the step — the rule it names in
// its message, and the field it names marked and focused.

import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { FieldSpec, Values } from '../lib/forms';
import { buildBody, fieldForError, initialValues, visibleFields } from '../lib/forms';
import { readablePaths } from '../live/useCommands';

interface Props {
  fields: FieldSpec[];
  submitLabel: string;
  /** Sends the body; rejects with the server's error. */
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
  /** Adjusts the body after it is built (fields that are the form's own). */
  fix?: (body: Record<string, unknown>) => Record<string, unknown>;
  nowMs: number;
  testId?: string;
  onCancel?: () => void;
}

interface Refusal {
  message: string;
  status: number;
  field: string | null;
}

export function RecordForm({ fields, submitLabel, onSubmit, fix, nowMs, testId, onCancel }: Props) {
  const uid = useId();
  const [values, setValues] = useState<Values>(() => initialValues(fields));
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = (name: string) => `${uid}-${name.replace(/\./g, '-')}`;
  const errId = `${uid}-error`;
  const shown = visibleFields(fields, values);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    setRefusal(null);
    try {
      const body = buildBody(fields, values, nowMs);
      await onSubmit(fix ? fix(body) : body);
      // Saved: the next record (the next handover stage, the next welfare check) starts blank
      // rather than carrying this one's notes.
      setValues(initialValues(fields));
    } catch (err) {
      const api = err instanceof ApiError ? err : null;
      const field = fieldForError(fields, values, api?.field);
      // After "Not recorded: " the server's words stay as they are, its field paths read as words.
      setRefusal({ message: readablePaths(err instanceof Error ? err.message : String(err)), status: api?.status ?? 0, field });
      // Focus the field the server named, else the message.
      requestAnimationFrame(() => {
        const target = field ? document.getElementById(id(field)) : document.getElementById(errId);
        target?.focus();
      });
    } finally {
      setPending(false);
    }
  }

  const set = (name: string, v: Values[string]) => setValues((old) => ({ ...old, [name]: v }));

  return (
    <form ref={formRef} className="record-form" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
      {shown.map((f) => {
        const invalid = refusal?.field === f.name;
        const describedBy = [f.hint ? `${id(f.name)}-hint` : '', invalid ? errId : ''].filter(Boolean).join(' ') || undefined;
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
                type={f.kind === 'number' ? 'number' : f.kind === 'datetime' ? 'datetime-local' : 'text'}
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
          </div>
        );
      })}
      {refusal && (
        <div className="refusal" role="alert" id={errId} tabIndex={-1} data-testid="refusal" data-status={refusal.status}>
          <strong>{refusal.status === 422 ? 'Not allowed: ' : 'Not recorded: '}</strong>
          {refusal.message}
        </div>
      )}
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
    </form>
  );
}
