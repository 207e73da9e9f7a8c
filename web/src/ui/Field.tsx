// A labelled form control: the label, the control, and what follows it (the
// field's error), in a "field" block.

import type { ComponentProps, ComponentPropsWithRef, ReactNode } from 'react';
import type { Bcu } from '../api/types';

interface Common {
  id: string;
  label: string;
  /** The block's class: "field", "field grow". */
  fieldClassName?: string;
  /** Shown after the control: the field's error. */
  error?: ReactNode;
}

export function InputField({ id, label, fieldClassName = 'field', error, ...input }: Common & ComponentPropsWithRef<'input'>) {
  return (
    <div className={fieldClassName}>
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
      {error}
    </div>
  );
}

export interface Choice {
  code: string;
  label: string;
}

export function SelectField({
  id,
  label,
  fieldClassName = 'field',
  error,
  options,
  ...select
}: Common & { options: readonly Choice[] } & ComponentPropsWithRef<'select'>) {
  return (
    <div className={fieldClassName}>
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
      {error}
    </div>
  );
}

/** The BCU filter: "All BCUs" (the empty value), then each BCU by code and name. */
export function BcuField({ bcus, ...select }: Omit<ComponentProps<typeof SelectField>, 'label' | 'options'> & { bcus: readonly Bcu[] }) {
  return <SelectField label="BCU" options={[{ code: '', label: 'All BCUs' }, ...bcus.map((b) => ({ code: b.code, label: `${b.code} ${b.name}` }))]} {...select} />;
}
