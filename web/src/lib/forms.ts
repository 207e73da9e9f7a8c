// Declarative record forms: a list of fields (dotted names nest, "grounds.necessity"),
// the values a person typed, and the JSON body the server takes. The server
// checks the law and names the rule when it says no; the form only shapes the
// body: empty text is left out, numbers are numbers, times typed as HH:MM in
// London become ISO instants. What the form cannot read (a time of "3:3O", a
// number of "3.5") is the person's to correct: it is never left out quietly,
// or the server would take "now" or nothing in its place.

import { londonParts } from './time';

export type FieldKind = 'text' | 'textarea' | 'select' | 'checkbox' | 'number' | 'checkboxes' | 'time' | 'datetime';

export type Value = string | boolean | string[];
export type Values = Record<string, Value>;

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** [value, label]; for select the first is the default unless `initial` says otherwise. */
  options?: ReadonlyArray<readonly [string, string]>;
  hint?: string;
  initial?: Value;
  /** Shown (and sent) only when this holds. */
  when?: (v: Values) => boolean;
  /** Sent even when empty (a checkbox is always sent). */
  always?: boolean;
  /** A choice that must be made: a select that starts on "Choose…" (value '') is not sent until it is. */
  required?: boolean;
  /** The field's name in a problem ("Arrival time: …"); the label without its bracketed hint otherwise. */
  short?: string;
}

export function initialValues(fields: readonly FieldSpec[]): Values {
  const out: Values = {};
  for (const f of fields) {
    if (f.initial !== undefined) out[f.name] = f.initial;
    else if (f.kind === 'checkbox') out[f.name] = false;
    else if (f.kind === 'checkboxes') out[f.name] = [];
    else if (f.kind === 'select') out[f.name] = f.required ? '' : (f.options?.[0]?.[0] ?? '');
    else out[f.name] = '';
  }
  return out;
}

/**
 * What a form shows: while the person has changed nothing (`edited` null), the defaults the
 * fields give now, which live data may have moved on (the next handover stage); once they have
 * changed anything, what they chose, kept whatever arrives. A field that appeared since takes its
 * default.
 */
export function shownValues(fields: readonly FieldSpec[], edited: Values | null): Values {
  const defaults = initialValues(fields);
  return edited ? { ...defaults, ...edited } : defaults;
}

/** The values after the person sets one field: from then on the form is theirs. */
export function editValue(fields: readonly FieldSpec[], edited: Values | null, name: string, value: Value): Values {
  return { ...shownValues(fields, edited), [name]: value };
}

/**
 * The defaults that have changed since the person started editing (`before`, the defaults then)
 * where what the form holds (`values`) is not the new default, in words: "Stage: Officers left".
 * The form keeps what they chose; this says what moved under it.
 */
export function movedDefaults(fields: readonly FieldSpec[], before: Values, values: Values): string[] {
  const now = initialValues(fields);
  const same = (a: Value | undefined, b: Value | undefined) => JSON.stringify(a) === JSON.stringify(b);
  const out: string[] = [];
  for (const f of visibleFields(fields, values)) {
    if (!(f.name in before) || same(before[f.name], now[f.name]) || same(values[f.name], now[f.name])) continue;
    const v = now[f.name];
    const option = f.options?.find(([k]) => k === v)?.[1];
    const text = option ?? (typeof v === 'boolean' ? (v ? 'ticked' : 'not ticked') : String(v));
    out.push(`${fieldName(f)}: ${text}`);
  }
  return out;
}

/** A field's name for messages: `short`, else its label without a bracketed hint or a trailing "…". */
export function fieldName(f: FieldSpec): string {
  return f.short ?? f.label.replace(/\s*\([^)]*\)\s*$/, '').replace(/…$/, '').trim();
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** A form that cannot be sent as it is: each field that cannot be read, and why. */
export class FormProblems extends Error {
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => p.message).join(' '));
    this.name = 'FormProblems';
    this.problems = problems;
  }
}

/**
 * The visible fields that are filled in but cannot be read, and the choices not yet made. Empty
 * optional fields are no problem: they are left out of the body.
 */
export function fieldProblems(fields: readonly FieldSpec[], values: Values): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const f of visibleFields(fields, values)) {
    const v = values[f.name];
    const s = typeof v === 'string' ? v.trim() : '';
    const name = fieldName(f);
    const problem = (message: string) => out.push({ field: f.name, message: `${name}: ${message}` });
    switch (f.kind) {
      case 'select':
        if (f.required && s === '') problem('choose one');
        break;
      case 'time':
        if (s !== '' && !readTime(s)) problem(`“${s}” is not a time; write it as HH:MM, e.g. 03:30`);
        break;
      case 'datetime':
        if (s !== '' && londonLocalToIso(s) === null) problem(`“${s}” is not a date and time; write it as YYYY-MM-DD HH:MM`);
        break;
      case 'number':
        if (s !== '' && !/^\d+$/.test(s)) problem(`“${s}” is not a whole number; write it in digits, e.g. 20`);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Hours and minutes of "HH:MM" (or "H:MM"), or null when it is not a time of day. */
function readTime(hhmm: string): { h: number; min: number } | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h > 23 || min > 59 ? null : { h, min };
}

export function visibleFields(fields: readonly FieldSpec[], values: Values): FieldSpec[] {
  return fields.filter((f) => !f.when || f.when(values));
}

/** Sets a dotted path in a nested object. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = value;
}

/**
 * The UTC instant of a London wall-clock time "HH:MM" on the London day of
 * `nowMs`, or the day before when that would be more than an hour ahead (a
 * time typed just after midnight for just before it). Null when unreadable.
 */
export function londonTimeToIso(hhmm: string, nowMs: number): string | null {
  const t = readTime(hhmm);
  if (!t) return null;
  const { h, min } = t;
  const today = londonParts(nowMs);
  let ms = londonWallToUtc(today.year, today.month, today.day, h, min);
  if (ms - nowMs > 60 * 60 * 1000) ms -= 24 * 60 * 60 * 1000;
  return new Date(ms).toISOString();
}

/** "YYYY-MM-DDTHH:MM" typed in London (datetime-local) as an ISO instant. */
export function londonLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)$/.exec(local.trim());
  if (!m) return null;
  const ms = londonWallToUtc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return new Date(ms).toISOString();
}

function londonWallToUtc(y: number, mo: number, d: number, h: number, mi: number): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // London is UTC or UTC+1: try both offsets and keep the one that reads back as the wall time.
  for (const offsetH of [0, 1]) {
    const guess = wall - offsetH * 3600_000;
    const p = londonParts(guess);
    if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall) return guess;
  }
  return wall; // a time skipped by the clocks going forward: read it as GMT
}

/**
 * The request body for the visible fields' values. Throws FormProblems when a field is filled in
 * but cannot be read, or a required choice is not made: nothing is sent then.
 */
export function buildBody(fields: readonly FieldSpec[], values: Values, nowMs: number): Record<string, unknown> {
  const problems = fieldProblems(fields, values);
  if (problems.length > 0) throw new FormProblems(problems);
  const body: Record<string, unknown> = {};
  for (const f of visibleFields(fields, values)) {
    const v = values[f.name];
    switch (f.kind) {
      case 'checkbox':
        setPath(body, f.name, v === true);
        break;
      case 'checkboxes':
        if (Array.isArray(v) && (v.length > 0 || f.always)) setPath(body, f.name, v);
        break;
      case 'number': {
        const s = typeof v === 'string' ? v.trim() : '';
        if (s !== '') setPath(body, f.name, Number(s));
        break;
      }
      case 'time': {
        const iso = typeof v === 'string' && v.trim() ? londonTimeToIso(v, nowMs) : null;
        if (iso) setPath(body, f.name, iso);
        break;
      }
      case 'datetime': {
        const iso = typeof v === 'string' && v.trim() ? londonLocalToIso(v) : null;
        if (iso) setPath(body, f.name, iso);
        break;
      }
      default: {
        const s = typeof v === 'string' ? v.trim() : '';
        if (s !== '' || f.always) setPath(body, f.name, s);
      }
    }
  }
  return body;
}

/**
 * The field a server error names, among the visible fields: the field itself,
 * or the first field under it ("consultation" → "consultation.name"), or the
 * field it is under ("police_station.inspector_authorisation" → its name).
 */
/**
 * Every visible field a server error names: its `field` first, then each of `details.problems`
 * (the server lists all the fields it could not take at once), each found as fieldForError does,
 * without repeats.
 */
export function fieldsForError(
  fields: readonly FieldSpec[],
  values: Values,
  errorField: string | undefined,
  details: Record<string, unknown> | undefined,
): string[] {
  const named = [errorField];
  const problems = details?.problems;
  if (Array.isArray(problems)) {
    for (const p of problems) {
      const f = (p as { field?: unknown } | null)?.field;
      if (typeof f === 'string') named.push(f);
    }
  }
  const out: string[] = [];
  for (const n of named) {
    const f = fieldForError(fields, values, n);
    if (f && !out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * The messages of a refusal that names several problems at once (details.problems), one each,
 * to be shown as a list; empty when it names one or none (its message says it).
 */
export function problemMessages(details: Record<string, unknown> | undefined): string[] {
  const problems = details?.problems;
  if (!Array.isArray(problems) || problems.length < 2) return [];
  const out: string[] = [];
  for (const p of problems) {
    const m = (p as { message?: unknown } | null)?.message;
    if (typeof m === 'string' && m !== '') out.push(m);
  }
  return out.length < 2 ? [] : out;
}

export function fieldForError(fields: readonly FieldSpec[], values: Values, errorField: string | undefined): string | null {
  if (!errorField) return null;
  const vis = visibleFields(fields, values);
  const exact = vis.find((f) => f.name === errorField);
  if (exact) return exact.name;
  const under = vis.find((f) => f.name.startsWith(`${errorField}.`));
  if (under) return under.name;
  const above = vis.find((f) => errorField.startsWith(`${f.name}.`));
  return above ? above.name : null;
}
