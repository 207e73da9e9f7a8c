// A command's error, announced next to the button or form that sent it;
// nothing while the command has none.

import type { Commands } from '../live/useCommands';

interface Props {
  cmd: Commands;
  /** The command's key in `cmd`. */
  action: string;
  id?: string;
  className?: string;
}

export function CommandError({ cmd, action, id, className = 'form-error' }: Props) {
  const error = cmd.error(action);
  return error ? (
    <p role="alert" className={className} id={id}>
      {error}
    </p>
  ) : null;
}
