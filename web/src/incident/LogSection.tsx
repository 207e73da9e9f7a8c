import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { IncidentDetail } from '../api/types';
import { authorLabel } from '../lib/people';
import { can } from '../lib/roles';
import { formatTime } from '../lib/time';
import { useCommands } from '../live/useCommands';
import { usePeopleFor } from '../live/usePeople';
import { CommandError } from '../ui/CommandError';
import { Pane } from '../ui/Pane';

interface Props {
  incident: IncidentDetail;
  role: string;
  now: number;
  onChanged: () => void;
}

export function LogSection({ incident, role, now, onChanged }: Props) {
  const cmd = useCommands();
  const [text, setText] = useState('');
  const mayLog = can(role, 'incident.log');
  const person = usePeopleFor(
    role,
    incident.log.map((l) => l.author),
  );

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    const r = await cmd.run('log', () =>
      api.send('POST', `/api/incidents/${encodeURIComponent(incident.id)}/log`, { text: text.trim() }),
    );
    if (r.ok) {
      setText('');
      onChanged();
    }
  }

  return (
    <Pane headId="log-h" title="Log" count={<>{incident.log.length} {incident.log.length === 1 ? 'entry' : 'entries'}</>} testId="log">
      {incident.log.length === 0 ? (
        <p className="empty">No log entries.</p>
      ) : (
        <ol className="log-entries">
          {incident.log.map((l, i) => (
            <li key={i} className="log-entry" data-testid="log-entry">
              <span className="muted small">
                <time dateTime={l.at}>{formatTime(l.at, now, { seconds: true })}</time> ·{' '}
                <span title={l.author} data-testid="log-author">
                  {authorLabel(l.author, person(l.author))}
                </span>
              </span>
              <p>{l.text}</p>
            </li>
          ))}
        </ol>
      )}
      {mayLog && (
        <form className="inline-form" onSubmit={(e) => void add(e)}>
          <label htmlFor="log-text">New log entry</label>
          <div className="inline-row">
            <input id="log-text" value={text} maxLength={4000} onChange={(e) => setText(e.target.value)} autoComplete="off" />
            <button type="submit" className="primary small" disabled={cmd.pending('log') || !text.trim()}>
              {cmd.pending('log') ? 'Adding…' : 'Add to log'}
            </button>
          </div>
          <CommandError cmd={cmd} action="log" />
        </form>
      )}
    </Pane>
  );
}
