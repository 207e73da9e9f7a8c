// The call handler's create form: keyboard-first. The type has focus when the
// screen opens; the grade and flags follow the type until changed by hand;
// Enter anywhere (Ctrl+Enter in the description) creates the incident. The
// reply's reference, borough, BCU and warnings are shown, and the form is
// ready for the next call.

import { useEffect, useRef, useState } from 'react';
import type { ComponentProps, FormEvent, KeyboardEvent } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/instance';
import type { IncidentDetail } from '../api/types';
import {
  buildIncidentCreate,
  defaultFlags,
  defaultGrade,
  emptyIncidentForm,
  incidentTypeLabel,
  kChannels,
  kFlags,
  kGradeOptions,
  kIncidentTypes,
  kLocationTypes,
} from '../lib/cad';
import type { FormErrors, IncidentForm } from '../lib/cad';
import { incidentHash } from '../lib/roles';
import { formatTime } from '../lib/time';
import { errorMessage } from '../live/useCommands';
import { InputField, SelectField } from '../ui/Field';
import { LengthLeft } from '../ui/LengthLeft';

type FieldKey = keyof FormErrors;
const kFieldOrder: FieldKey[] = ['type', 'grade', 'address', 'lat', 'lon'];

/** The form field a server error's `field` names. */
function fieldFor(serverField: string | undefined): FieldKey | null {
  switch (serverField) {
    case 'type':
      return 'type';
    case 'grade':
      return 'grade';
    case 'location.lat':
      return 'lat';
    case 'location.lon':
      return 'lon';
    case 'location':
    case 'location.address':
      return 'address';
    default:
      return null;
  }
}

export function NewIncidentPage() {
  const [form, setForm] = useState<IncidentForm>(() => emptyIncidentForm());
  const [gradeTouched, setGradeTouched] = useState(false);
  const [flagsTouched, setFlagsTouched] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<IncidentDetail | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const typeRef = useRef<HTMLSelectElement>(null);
  const openRef = useRef<HTMLAnchorElement>(null);

  useEffect(() => typeRef.current?.focus(), []);
  useEffect(() => {
    if (created) openRef.current?.focus();
  }, [created]);

  const set = <K extends keyof IncidentForm>(k: K, v: IncidentForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (k in errors) setErrors(({ [k as FieldKey]: _, ...rest }) => rest);
  };

  function chooseType(type: string) {
    setForm((f) => ({
      ...f,
      type,
      grade: gradeTouched ? f.grade : defaultGrade(type),
      flags: flagsTouched ? f.flags : defaultFlags(type),
    }));
  }

  function toggleFlag(code: string, on: boolean) {
    setFlagsTouched(true);
    setForm((f) => ({ ...f, flags: on ? [...f.flags, code] : f.flags.filter((x) => x !== code) }));
  }

  function focusField(k: FieldKey) {
    const el = formRef.current?.querySelector<HTMLElement>(`[name="${k}"]`);
    el?.focus();
  }

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setSubmitError(null);
    const built = buildIncidentCreate(form);
    if (!built.ok) {
      setErrors(built.errors);
      const first = kFieldOrder.find((k) => built.errors[k]);
      if (first) focusField(first);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const inc = await api.send<IncidentDetail>('POST', '/api/incidents', built.body);
      setCreated(inc);
      setForm((f) => ({ ...emptyIncidentForm(), channel: f.channel })); // a new call starts afresh; the line (channel) stays
      setGradeTouched(false);
      setFlagsTouched(false);
    } catch (err) {
      const k = err instanceof ApiError ? fieldFor(err.field) : null;
      if (k) {
        setErrors({ [k]: errorMessage(err) });
        focusField(k);
      } else {
        setSubmitError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const t = e.target as HTMLElement;
    if (t.tagName === 'TEXTAREA') {
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        void submit();
      }
      return;
    }
    if (t.tagName === 'BUTTON' || t.tagName === 'A') return;
    e.preventDefault(); // selects and checkboxes too: Enter always creates
    void submit();
  }

  function nextCall() {
    setCreated(null);
    typeRef.current?.focus();
  }

  const describedBy = (k: FieldKey, hint?: string) =>
    [hint, errors[k] ? `err-${k}` : undefined].filter(Boolean).join(' ') || undefined;
  /** A checked field's name, its error state and the error shown under it. */
  const checked = (k: FieldKey, hint?: string) => ({
    name: k,
    'aria-invalid': !!errors[k],
    'aria-describedby': describedBy(k, hint),
    error: errors[k] ? (
      <p className="field-error" id={`err-${k}`}>
        {errors[k]}
      </p>
    ) : null,
  });
  /** A one-line text field of the form; `more` gives its id and anything else it has. */
  const textInput = (k: 'address' | 'lat' | 'lon' | 'callerName' | 'callerPhone', label: string, more: Omit<ComponentProps<typeof InputField>, 'label'>) => (
    <InputField label={label} autoComplete="off" value={form[k]} onChange={(e) => set(k, e.target.value)} {...more} />
  );

  return (
    <div className="page new-incident">
      <h1>New incident</h1>
      {created && <Created incident={created} openRef={openRef} onNext={nextCall} />}
      <form ref={formRef} className="incident-form" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate>
        <p className="muted small form-hint" id="form-hint">
          Enter creates the incident (Ctrl+Enter in the description). Grade and flags follow the type until you change
          them.
        </p>
        <div className="form-row">
          <SelectField
            id="f-type"
            label="Type"
            fieldClassName="field grow"
            options={kIncidentTypes}
            ref={typeRef}
            value={form.type}
            onChange={(e) => chooseType(e.target.value)}
            {...checked('type', 'form-hint')}
          />
          <SelectField
            id="f-grade"
            label="Grade"
            fieldClassName="field mid"
            options={kGradeOptions}
            value={form.grade}
            onChange={(e) => {
              setGradeTouched(true);
              set('grade', e.target.value);
            }}
            {...checked('grade')}
          />
          <SelectField id="f-channel" label="Channel" options={kChannels} name="channel" value={form.channel} onChange={(e) => set('channel', e.target.value)} />
        </div>
        {textInput('address', 'Address or description of the place', { id: 'f-address', maxLength: 500, ...checked('address', 'loc-hint') })}
        <div className="form-row">
          {textInput('lat', 'Latitude', { id: 'f-lat', inputMode: 'decimal', ...checked('lat', 'loc-hint') })}
          {textInput('lon', 'Longitude', { id: 'f-lon', inputMode: 'decimal', ...checked('lon', 'loc-hint') })}
          <SelectField
            id="f-loctype"
            label="Location type"
            fieldClassName="field grow"
            options={kLocationTypes}
            name="locationType"
            value={form.locationType}
            onChange={(e) => set('locationType', e.target.value)}
          />
        </div>
        <p className="muted small" id="loc-hint">
          An address, coordinates, or both. Coordinates set the borough and BCU; you can paste “51.5008, -0.1219” into
          Latitude.
        </p>
        <fieldset className="flags-field">
          <legend>Flags</legend>
          {kFlags.map((f) => (
            <label key={f.code} className="check">
              <input
                type="checkbox"
                name={`flag-${f.code}`}
                checked={form.flags.includes(f.code)}
                onChange={(e) => toggleFlag(f.code, e.target.checked)}
              />
              {f.label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="f-desc">What the caller says</label>
          <textarea
            id="f-desc"
            name="description"
            rows={3}
            maxLength={4000}
            aria-describedby="f-desc-left"
            value={form.description}
            onChange={(e) => set('description', e.target.value)}
          />
          <LengthLeft id="f-desc-left" length={form.description.length} max={4000} />
        </div>
        <div className="form-row">
          {textInput('callerName', 'Caller name', { id: 'f-caller', name: 'callerName', fieldClassName: 'field grow', maxLength: 200 })}
          {textInput('callerPhone', 'Caller phone', { id: 'f-phone', name: 'callerPhone', fieldClassName: 'field grow', type: 'tel', maxLength: 40 })}
        </div>
        {submitError && (
          <p role="alert" className="form-error">
            {submitError}
          </p>
        )}
        {Object.keys(errors).length > 0 && (
          <p role="alert" className="form-error">
            Check the {Object.keys(errors).length === 1 ? 'field' : 'fields'} marked above.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create incident'}
          </button>
          <span className="muted small">
            {incidentTypeLabel(form.type)} · grade {form.grade}
          </span>
        </div>
      </form>
    </div>
  );
}

function Created({
  incident,
  openRef,
  onNext,
}: {
  incident: IncidentDetail;
  openRef: React.RefObject<HTMLAnchorElement | null>;
  onNext: () => void;
}) {
  const now = Date.now();
  const where = [incident.borough?.name, incident.bcu ? `${incident.bcu.name} BCU (${incident.bcu.code})` : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <section className="created" aria-labelledby="created-h" data-testid="created">
      <h2 id="created-h">
        Created <span data-testid="created-reference">{incident.reference}</span>
      </h2>
      <p>
        {incidentTypeLabel(incident.type)}, grade {incident.grade}
        {incident.target_at && <> · target {formatTime(incident.target_at, now)}</>}
        {' · '}
        <span data-testid="created-where">{where || 'No borough or BCU'}</span>
      </p>
      {incident.warnings && incident.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings" data-testid="created-warnings">
          {incident.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <a ref={openRef} className="button-link" href={incidentHash(incident.id)}>
          Open {incident.reference}
        </a>
        <button type="button" onClick={onNext}>
          Next call
        </button>
      </div>
    </section>
  );
}
