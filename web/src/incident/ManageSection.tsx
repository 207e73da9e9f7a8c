// Regrade, close and reopen: the controller's decisions on the incident itself.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { IncidentDetail } from '../api/types';
import { kGradeOptions } from '../lib/cad';
import { can } from '../lib/roles';
import { useCommands } from '../live/useCommands';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';
import { Pane } from '../ui/Pane';

export const kResultCodes = [
  { code: 'resolved_at_scene', label: 'Resolved at scene' },
  { code: 'advice_given', label: 'Advice given' },
  { code: 'referred_to_partner', label: 'Referred to a partner agency' },
  { code: 'taken_to_place_of_safety', label: 'Taken to a place of safety' },
  { code: 'conveyed_to_hospital', label: 'Conveyed to hospital' },
  { code: 'arrest', label: 'Arrest' },
  { code: 'crime_recorded', label: 'Crime recorded' },
  { code: 'no_trace', label: 'No trace' },
  { code: 'duplicate', label: 'Duplicate' },
  { code: 'no_police_action', label: 'No police action' },
];

interface Props {
  incident: IncidentDetail;
  role: string;
  onChanged: () => void;
}

export function ManageSection({ incident, role, onChanged }: Props) {
  const cmd = useCommands();
  const open = incident.status === 'open';
  const mayRegrade = open && can(role, 'incident.regrade');
  const mayClose = open && can(role, 'incident.close');
  const mayReopen = !open && can(role, 'incident.reopen');
  const base = `/api/incidents/${encodeURIComponent(incident.id)}`;
  const otherGrades = kGradeOptions.filter((g) => g.code !== incident.grade);
  const [grade, setGrade] = useState(otherGrades[0]?.code ?? 'S');
  const [gradeReason, setGradeReason] = useState('');
  const [result, setResult] = useState(kResultCodes[0].code);
  const [summary, setSummary] = useState('');
  const [reopenReason, setReopenReason] = useState('');
  if (!mayRegrade && !mayClose && !mayReopen) return null;
  const chosenGrade = otherGrades.some((g) => g.code === grade) ? grade : (otherGrades[0]?.code ?? grade);

  async function regrade(e: FormEvent) {
    e.preventDefault();
    const r = await cmd.run('regrade', () => api.send('POST', `${base}/regrade`, { grade: chosenGrade, reason: gradeReason.trim() }), {
      what: `Regrade to ${chosenGrade}`,
    });
    if (r.ok) {
      setGradeReason('');
      onChanged();
    }
  }
  async function close(e: FormEvent) {
    e.preventDefault();
    const r = await cmd.run('close', () => api.send('POST', `${base}/close`, { result_code: result, summary: summary.trim() }), {
      what: 'Close the incident',
    });
    if (r.ok) {
      setSummary('');
      onChanged();
    }
  }
  async function reopen(e: FormEvent) {
    e.preventDefault();
    const r = await cmd.run('reopen', () => api.send('POST', `${base}/reopen`, { reason: reopenReason.trim() }), { what: 'Reopen the incident' });
    if (r.ok) {
      setReopenReason('');
      onChanged();
    }
  }
  return (
    <Pane headId="manage-h" title={open ? 'Regrade or close' : 'Reopen'} testId="manage">
      {/* Someone else closed or reopened it meanwhile: the form went, its refusal stays here. */}
      <DetachedCommandErrors cmd={cmd} />
      {mayRegrade && (
        <form className="inline-form" onSubmit={(e) => void regrade(e)} aria-labelledby="regrade-h">
          <h3 id="regrade-h">Regrade (now {incident.grade})</h3>
          <div className="form-row">
            <div className="field mid">
              <label htmlFor="regrade-grade">New grade</label>
              <select id="regrade-grade" value={chosenGrade} onChange={(e) => setGrade(e.target.value)}>
                {otherGrades.map((g) => (
                  <option key={g.code} value={g.code}>
                    {g.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor="regrade-reason">Reason</label>
              <input id="regrade-reason" value={gradeReason} onChange={(e) => setGradeReason(e.target.value)} autoComplete="off" />
            </div>
          </div>
          <CommandError cmd={cmd} action="regrade" />
          <button type="submit" className="small" disabled={cmd.pending('regrade') || !gradeReason.trim()}>
            Regrade to {chosenGrade}
          </button>
        </form>
      )}
      {mayClose && (
        <form className="inline-form" onSubmit={(e) => void close(e)} aria-labelledby="close-h">
          <h3 id="close-h">Close</h3>
          <div className="form-row">
            <div className="field mid">
              <label htmlFor="close-result">Result</label>
              <select id="close-result" value={result} onChange={(e) => setResult(e.target.value)}>
                {kResultCodes.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor="close-summary">Summary</label>
              <input id="close-summary" value={summary} onChange={(e) => setSummary(e.target.value)} autoComplete="off" />
            </div>
          </div>
          <p className="muted small">Closing clears every unit still attached.</p>
          <CommandError cmd={cmd} action="close" />
          <button type="submit" className="danger small" disabled={cmd.pending('close') || !summary.trim()}>
            Close incident
          </button>
        </form>
      )}
      {mayReopen && (
        <form className="inline-form" onSubmit={(e) => void reopen(e)}>
          <div className="field">
            <label htmlFor="reopen-reason">Reason for reopening</label>
            <input id="reopen-reason" value={reopenReason} onChange={(e) => setReopenReason(e.target.value)} autoComplete="off" />
          </div>
          <CommandError cmd={cmd} action="reopen" />
          <button type="submit" className="small" disabled={cmd.pending('reopen') || !reopenReason.trim()}>
            Reopen incident
          </button>
        </form>
      )}
    </Pane>
  );
}
