// A screen's section: a heading with a count or note beside it, the section
// labelled by the heading.

import type { ReactNode } from 'react';

interface Props {
  /** The heading's id. */
  headId: string;
  title: ReactNode;
  /** Beside the heading: "3 open", "nearest first". */
  count?: ReactNode;
  testId?: string;
  children: ReactNode;
}

export function Pane({ headId, title, count, testId, children }: Props) {
  return (
    <section className="pane" aria-labelledby={headId} data-testid={testId}>
      <div className="pane-head">
        <h2 id={headId}>{title}</h2>
        {count !== undefined && <span className="pane-count">{count}</span>}
      </div>
      {children}
    </section>
  );
}

/** A list of items, or the `empty` line when there are none. */
export function ListOrEmpty({ empty, className, children }: { empty: ReactNode; className: string; children: ReactNode[] }) {
  return children.length === 0 ? <p className="empty">{empty}</p> : <ul className={className}>{children}</ul>;
}
