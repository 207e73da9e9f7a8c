// An incident's flags, each as a labelled pill.

import { flagLabel } from '../lib/queue';

export function FlagList({ flags }: { flags: readonly string[] }) {
  return (
    <ul className="flags" aria-label="Flags">
      {flags.map((f) => (
        <li key={f} className={`flag flag-${f}`}>
          {flagLabel(f)}
        </li>
      ))}
    </ul>
  );
}
