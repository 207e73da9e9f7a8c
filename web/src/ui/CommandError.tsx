// A command's error, announced next to the button or form that sent it;
// nothing while the command has none. While it is on screen it claims its
// actions, so DetachedCommandErrors leaves them to it; once its control has
// gone (someone else acted first and the live update took it away), the error
// is shown there instead of being lost.

import { useEffect } from 'react';
import type { Commands } from '../live/useCommands';

interface Props {
  cmd: Commands;
  /** The command's key in `cmd`, or several (the first with an error is shown). */
  action: string | readonly string[];
  id?: string;
  className?: string;
}

export function CommandError({ cmd, action, id, className = 'form-error' }: Props) {
  const actions = typeof action === 'string' ? [action] : action;
  const joined = actions.join('\n');
  const { claim } = cmd;
  useEffect(() => {
    const releases = joined.split('\n').map((a) => claim(a));
    return () => releases.forEach((release) => release());
  }, [claim, joined]);
  const error = actions.map((a) => cmd.error(a)).find((e) => e !== undefined);
  return error ? (
    <p role="alert" className={className} id={id}>
      {error}
    </p>
  ) : null;
}

/**
 * The errors of `cmd` whose control is no longer on screen, each with what was tried and a way to
 * dismiss it. Put it where the controls were (the top of their list).
 */
export function DetachedCommandErrors({ cmd, className = '' }: { cmd: Commands; className?: string }) {
  const list = cmd.detached();
  if (list.length === 0) return null;
  return (
    <div className={`detached-errors ${className}`.trim()} data-testid="detached-errors">
      {list.map((e) => (
        <div key={e.key} role="alert" className="detached-error">
          <p>
            <strong>{e.what ? `${e.what}: not done. ` : 'Not done: '}</strong>
            {e.message}
          </p>
          <button type="button" className="small" onClick={() => cmd.clearError(e.key)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
