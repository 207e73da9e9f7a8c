// Declarative record forms: a list of fields (dotted names nest, "grounds.necessity"),
// the values a person typed, and the JSON body the server takes. The server
// checks the law and names the rule when it says no; the form only shapes the
// body: empty text is left out, numbers are numbers, times typed as HH:MM in
// London become ISO instants.

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
}

export function initialValues(fields: readonly FieldSpec[]): Values {
  const out: Values = {};
  for (const f of fields) {
    if (f.initial !== undefined) out[f.name] = f.initial;
    else if (f.kind === 'checkbox') out[f.name] = false;
    else if (f.kind === 'checkboxes') out[f.name] = [];
    else if (f.kind === 'select') out[f.name] = f.options?.[0]?.[0] ?? '';
    else out[f.name] = '';
  }
  return out;
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
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
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

/** The request body for the visible fields' values. */
export function buildBody(fields: readonly FieldSpec[], values: Values, nowMs: number): Record<string, unknown> {
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
        const n = Number(s);
        if (s !== '' && Number.isFinite(n)) setPath(body, f.name, n);
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
