import type { ReactNode } from 'react';
import type { Commands } from '../live/useCommands';

/** Marks an action done (the command keyed by the action's id), then reloads. */
export function DoneButton({
  cmd,
  action,
  className,
  send,
  onDone,
  children,
}: {
  cmd: Commands;
  action: string;
  className: string;
  send: () => Promise<unknown>;
  onDone: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" className={className} disabled={cmd.pending(action)} onClick={() => void cmd.run(action, send).then((r) => r.ok && onDone())}>
      {children}
    </button>
  );
}
