// THRIVE: Threat, Harm, Risk, Investigation, Vulnerability, Engagement, and an
// overall risk. Every save is a new version; the latest is shown, earlier
// ones are kept below it. The form starts from the latest, for a reassessment.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { IncidentDetail, ThriveAssessment } from '../api/types';
import { authorLabel } from '../lib/people';
import { can } from '../lib/roles';
import { formatTime } from '../lib/time';
import { useCommands } from '../live/useCommands';
import { usePeopleFor } from '../live/usePeople';
import { CommandError, DetachedCommandErrors } from '../ui/CommandError';
import { Pane } from '../ui/Pane';

const kParts = [
  ['threat', 'Threat'],
  ['harm', 'Harm'],
  ['risk', 'Risk'],
  ['investigation', 'Investigation'],
  ['vulnerability', 'Vulnerability'],
  ['engagement', 'Engagement'],
] as const;
type Part = (typeof kParts)[number][0];
type Draft = Record<Part, string> & { overall: string };

function draftFrom(t: ThriveAssessment | undefined): Draft {
  return {
    threat: t?.threat ?? '',
    harm: t?.harm ?? '',
    risk: t?.risk ?? '',
    investigation: t?.investigation ?? '',
    vulnerability: t?.vulnerability ?? '',
    engagement: t?.engagement ?? '',
    overall: t?.overall ?? '', // chosen by the assessor, never assumed
  };
}

interface Props {
  incident: IncidentDetail;
  role: string;
  now: number;
  onChanged: () => void;
}

export function ThriveSection({ incident, role, now, onChanged }: Props) {
  const versions = [...incident.thrive].sort((a, b) => b.version - a.version);
  const latest = versions[0];
  const mayAssess = can(role, 'incident.thrive') && incident.status === 'open';
  const cmd = useCommands();
  const person = usePeopleFor(
    role,
    incident.thrive.map((t) => t.author),
  );
  const author = (id: string) => authorLabel(id, person(id));
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(latest));
  const [missing, setMissing] = useState<Part[]>([]);
  const [overallMissing, setOverallMissing] = useState(false);

  function start() {
    setDraft(draftFrom(latest));
    setMissing([]);
    setOverallMissing(false);
    setEditing(true);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const empty = kParts.map(([k]) => k).filter((k) => !draft[k].trim());
    setMissing(empty);
    setOverallMissing(!draft.overall);
    if (empty.length > 0) {
      document.getElementById(`thrive-${empty[0]}`)?.focus();
      return;
    }
    if (!draft.overall) {
      document.getElementById('thrive-overall')?.focus();
      return;
    }
    const r = await cmd.run('thrive', () =>
      api.send('POST', `/api/incidents/${encodeURIComponent(incident.id)}/thrive`, {
        ...Object.fromEntries(kParts.map(([k]) => [k, draft[k].trim()])),
        overall: draft.overall,
      }),
      { what: 'THRIVE assessment' },
    );
    if (r.ok) {
      setEditing(false);
      onChanged();
    }
  }

  return (
    <Pane headId="thrive-h" title="THRIVE" count={versions.length === 0 ? 'not assessed' : `version ${latest.version}`} testId="thrive">
      {/* The form goes when the incident is closed meanwhile: its refusal is shown here then. */}
      <DetachedCommandErrors cmd={cmd} />
      {latest ? (
        <ThriveView t={latest} now={now} author={author(latest.author)} />
      ) : (
        !editing && <p className="empty">No THRIVE assessment yet.</p>
      )}
      {versions.length > 1 && (
        <details className="versions">
          <summary>Earlier versions ({versions.length - 1})</summary>
          {versions.slice(1).map((t) => (
            <ThriveView key={t.version} t={t} now={now} author={author(t.author)} />
          ))}
        </details>
      )}
      {mayAssess && !editing && (
        <div className="section-actions">
          <button type="button" className="small" onClick={start}>
            {latest ? `Reassess (version ${latest.version + 1})` : 'Record THRIVE'}
          </button>
        </div>
      )}
      {mayAssess && editing && (
        <form className="thrive-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="thrive-form-h">
          <h3 id="thrive-form-h">THRIVE version {(latest?.version ?? 0) + 1}</h3>
          {kParts.map(([k, label]) => (
            <div className="field" key={k}>
              <label htmlFor={`thrive-${k}`}>{label}</label>
              <textarea
                id={`thrive-${k}`}
                rows={2}
                value={draft[k]}
                onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
                aria-invalid={missing.includes(k) || undefined}
                aria-describedby={missing.includes(k) ? `thrive-${k}-err` : undefined}
              />
              {missing.includes(k) && (
                <p className="field-error" id={`thrive-${k}-err`}>
                  Say something about {label.toLowerCase()}, even “none known”.
                </p>
              )}
            </div>
          ))}
          <div className="field">
            <label htmlFor="thrive-overall">Overall risk</label>
            <select
              id="thrive-overall"
              value={draft.overall}
              aria-invalid={overallMissing || undefined}
              aria-describedby={overallMissing ? 'thrive-overall-err' : undefined}
              onChange={(e) => setDraft((d) => ({ ...d, overall: e.target.value }))}
            >
              <option value="" disabled>
                Choose…
              </option>
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
            </select>
            {overallMissing && (
              <p className="field-error" id="thrive-overall-err">
                Choose the overall risk: it is the assessor's judgement, not a default.
              </p>
            )}
          </div>
          <CommandError cmd={cmd} action="thrive" />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={cmd.pending('thrive')}>
              {cmd.pending('thrive') ? 'Saving…' : `Save version ${(latest?.version ?? 0) + 1}`}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Pane>
  );
}

function ThriveView({ t, now, author }: { t: ThriveAssessment; now: number; author: string }) {
  return (
    <div className="thrive-view" data-testid="thrive-version" data-version={t.version}>
      <p className="small muted">
        Version {t.version} · <time dateTime={t.at}>{formatTime(t.at, now)}</time> · <span title={t.author}>{author}</span> ·{' '}
        <span className={`pill risk-${t.overall}`}>Overall {t.overall}</span>
      </p>
      <dl className="facts thrive-facts">
        {kParts.map(([k, label]) => (
          <div key={k} className="fact">
            <dt>{label}</dt>
            <dd>{t[k] || '—'}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
