// A table of figures in a scrollable, focusable region (so a keyboard can
// scroll it on a phone): the column headings, then the rows given.

import type { ReactNode } from 'react';

export interface Column {
  label: string;
  /** A number column: right-aligned. */
  num?: boolean;
  /** React's key, when the label is not unique. */
  key?: string;
}

interface Props {
  /** The region's name. */
  label: string;
  columns: readonly Column[];
  /** The rows: <tr> elements. */
  children: ReactNode;
}

export function DataTable({ label, columns, children }: Props) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table className="data-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key ?? c.label} scope="col" className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
