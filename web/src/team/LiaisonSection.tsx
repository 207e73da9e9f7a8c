// The Team page's liaison part: the open actions of liaison meetings with partner agencies, the
// meetings themselves, and (register.manage) the form that records a meeting once held.

import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/instance';
import type { Bcu } from '../api/types';
import type { FieldSpec } from '../lib/forms';
import { countOf } from '../lib/plural';
import { can } from '../lib/roles';
import { kMeetingActionRows, londonDatePlus, meetingErrorField, meetingFromForm } from '../lib/team';
import { formatDay, formatTime } from '../lib/time';
import { useCommands } from '../live/useCommands';
import { RecordForm } from '../mh/RecordForm';
import { CommandError } from '../ui/CommandError';
import { ListOrEmpty, Pane } from '../ui/Pane';
import { DoneButton } from './DoneButton';
import type { LiaisonMeeting } from './types';

interface AgencyOption {
  id: string;
  name: string;
  status: string;
}

/** The liaison-meeting form: the page's BCU, the agency met, the day, who came, the minutes and up to three actions. */
function meetingFields(bcus: Bcu[], bcu: string, agencies: AgencyOption[], now: number): FieldSpec[] {
  const actionRows: FieldSpec[] = [];
  for (let row = 1; row <= kMeetingActionRows; row++) {
    actionRows.push(
      { name: `actions.${row}.text`, label: `Action ${row}`, kind: 'text', hint: row === 1 ? 'Leave a row blank if there are fewer actions.' : undefined },
      { name: `actions.${row}.owner`, label: `Action ${row} owner`, kind: 'text' },
      { name: `actions.${row}.due`, label: `Action ${row} due on (YYYY-MM-DD)`, kind: 'text', initial: londonDatePlus(now, 28) },
    );
  }
  return [
    { name: 'bcu', label: 'BCU of the meeting', kind: 'select', required: true, options: [['', 'Choose…'], ...bcus.map((b) => [b.code, `${b.code} ${b.name}`] as const)], initial: bcu },
    { name: 'agency_id', label: 'Agency met', kind: 'select', required: true, options: [['', 'Choose…'], ...agencies.map((a) => [a.id, a.name] as const)] },
    { name: 'date', label: 'Date of the meeting (YYYY-MM-DD)', kind: 'text', initial: londonDatePlus(now, 0), hint: 'The day it was held: a meeting still to come is recorded once it has happened.' },
    { name: 'attendees', label: 'Who attended', kind: 'textarea', hint: 'One person per line.' },
    { name: 'minutes', label: 'Minutes (optional)', kind: 'textarea' },
    ...actionRows,
  ];
}

/** "Record a liaison meeting": the form, sent as the server reads it; its refusal shown at the field it names. */
function RecordMeeting({ bcus, bcu, now, onDone }: { bcus: Bcu[]; bcu: string; now: number; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [agencies, setAgencies] = useState<AgencyOption[]>([]);
  const [saved, setSaved] = useState<LiaisonMeeting | null>(null);
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    api
      .get<AgencyOption[]>('/api/agencies')
      .then((list) => {
        if (!cancelled) setAgencies(list.filter((a) => a.status === 'active').sort((a, b) => a.name.localeCompare(b.name)));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [open]);
  if (!open) {
    return (
      <div className="button-row">
        <button type="button" className="small" onClick={() => setOpen(true)}>
          Record a liaison meeting
        </button>
        {saved && (
          <p role="status" className="ok-text small" data-testid="meeting-saved">
            Meeting {saved.id} with {saved.agency_name} recorded.
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="raise-flag">
      <h3>Record a liaison meeting</h3>
      <RecordForm
        fields={meetingFields(bcus, bcu, agencies, now)}
        submitLabel="Save the meeting"
        nowMs={now}
        testId="record-meeting"
        check={(form) => {
          const problems = meetingFromForm(form).problems;
          return problems.length > 0 ? problems.join(' ') : null;
        }}
        onCancel={() => setOpen(false)}
        onSubmit={async (form) => {
          const { body, rows } = meetingFromForm(form);
          try {
            const meeting = await api.send<LiaisonMeeting>('POST', '/api/liaison-meetings', body);
            setSaved(meeting);
            setOpen(false);
            onDone();
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            // "actions[0].due" is the first action sent: the form's row, and said as "Action 2: …".
            const at = meetingErrorField(err.field, rows);
            throw new ApiError(err.status, { code: err.code, message: at.prefix + err.message, field: at.field, details: err.details });
          }
        }}
      />
    </div>
  );
}

/** A meeting's day in London, "Sun 29 Nov 2026": it is recorded by the day it was held. */
const meetingDay = (iso: string) => formatDay(londonDatePlus(Date.parse(iso), 0));

export function LiaisonSection({ meetings, bcus, bcu, role, now, onDone }: { meetings: LiaisonMeeting[]; bcus: Bcu[]; bcu: string; role: string; now: number; onDone: () => void }) {
  const cmd = useCommands();
  const mayManage = can(role, 'register.manage');
  const actions = meetings.flatMap((m) => m.actions.map((a) => ({ ...a, meeting: m })));
  const open = actions.filter((a) => !a.done_at).sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due.localeCompare(b.due));
  const byDate = [...meetings].sort((a, b) => b.date.localeCompare(a.date) || b.id.localeCompare(a.id));
  return (
    <Pane headId="team-liaison-h" title="Liaison actions" count={<>{open.length} open of {actions.length}</>} testId="liaison">
      {mayManage && <RecordMeeting bcus={bcus} bcu={bcu} now={now} onDone={onDone} />}
      <ListOrEmpty empty="No open actions from liaison meetings." className="flag-list">
        {open.map((a) => (
          <li key={a.id} className={a.overdue ? 'warn-line' : ''} data-testid="liaison-action" data-action={a.id}>
            <p>
              {a.text} — <strong>{a.owner}</strong>, due {formatTime(a.due, now)}
              {a.overdue ? ' (overdue)' : ''}
            </p>
            <p className="small muted">
              Meeting {a.meeting.id}, {a.meeting.bcu} with {a.meeting.agency_name}, {meetingDay(a.meeting.date)}
            </p>
            {mayManage && (
              <DoneButton
                cmd={cmd}
                action={a.id}
                className="small"
                send={() => api.send('POST', `/api/liaison-meetings/${encodeURIComponent(a.meeting.id)}/actions/done`, { action_id: a.id })}
                onDone={onDone}
              >
                Mark done<span className="sr-only">: {a.text}</span>
              </DoneButton>
            )}
            <CommandError cmd={cmd} action={a.id} />
          </li>
        ))}
      </ListOrEmpty>
      <h3>Meetings</h3>
      <ListOrEmpty empty="No liaison meetings recorded." className="flag-list">
        {byDate.map((m) => (
          <li key={m.id} data-testid="liaison-meeting" data-meeting={m.id}>
            <p>
              <strong>{meetingDay(m.date)}</strong> — {m.bcu} with {m.agency_name}
            </p>
            <p className="small muted">
              {m.attendees.length > 0 ? `Attended: ${m.attendees.join(', ')}` : 'No attendees recorded'} · {countOf(m.actions.length, 'action')}
            </p>
          </li>
        ))}
      </ListOrEmpty>
    </Pane>
  );
}
