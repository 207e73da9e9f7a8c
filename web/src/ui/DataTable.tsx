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
  /**
   * On a narrow screen each row stands as a block, its cells one under another, instead of a
   * table scrolled sideways. Its cells then name their column (CellLabel). The table keeps its
   * roles, which a browser may drop from a table not displayed as one.
   */
  stacked?: boolean;
}

export function DataTable({ label, columns, children, stacked = false }: Props) {
  const role = (r: string) => (stacked ? r : undefined);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table className={stacked ? 'data-table stacked-table' : 'data-table'} role={role('table')}>
        <thead role={role('rowgroup')}>
          <tr role={role('row')}>
            {columns.map((c) => (
              <th key={c.key ?? c.label} scope="col" role={role('columnheader')} className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role={role('rowgroup')}>{children}</tbody>
      </table>
    </div>
  );
}

/** A cell's column name, shown only where a stacked table's rows stand as blocks (hidden from screen readers, which have the column heading). */
export function CellLabel({ children }: { children: ReactNode }) {
  return (
    <span className="cell-label" aria-hidden="true">
      {children}:{' '}
    </span>
  );
}
