import type { Unit } from '../api/types';
import { incidentHash } from '../lib/roles';
import { formatFixAge, isStaleFix } from '../lib/time';
import { groupUnitsByBcu, hasMentalHealthSkill, unitStatusShown } from '../lib/units';

interface Props {
  units: Unit[];
  bcuNames: ReadonlyMap<string, string>;
  /** Incident id → reference, for the incident a unit is on. */
  references: ReadonlyMap<string, string>;
  now: number;
}

export function UnitBoard({ units, bcuNames, references, now }: Props) {
  const groups = groupUnitsByBcu(units, bcuNames);
  const available = units.filter((u) => u.status === 'available').length;
  return (
    // tabIndex: the list scrolls on its own, and has nothing else to focus.
    <section className="pane pane-units" aria-labelledby="units-h" tabIndex={0}>
      <div className="pane-head">
        <h2 id="units-h">Units</h2>
        <span className="pane-count">
          {available} available of {units.length}
        </span>
      </div>
      {units.length === 0 ? (
        <p className="empty">No units on the board. Units appear here when they book on.</p>
      ) : (
        groups.map((g) => (
          <section key={g.code || 'none'} className="bcu-group" aria-labelledby={`bcu-${g.code || 'none'}`}>
            <h3 id={`bcu-${g.code || 'none'}`}>
              {g.name}
              {g.code && g.code !== g.name && <span className="muted"> ({g.code})</span>}
              <span className="pane-count"> {g.units.length}</span>
            </h3>
            <ul className="units">
              {g.units.map((u) => {
                const fixedAt = u.location?.fixed_at ?? null;
                const stale = isStaleFix(fixedAt, now);
                const active = u.active_incident ?? null;
                const stacked = u.stacked?.length ?? 0;
                return (
                  <li
                    key={u.id}
                    className={`unit${u.emergency ? ' emergency' : ''}`}
                    data-testid="unit"
                    data-unit={u.id}
                    data-status={u.status}
                  >
                    <span className="call-sign">{u.call_sign}</span>
                    <span className="unit-state">
                      {u.emergency && <span className="status status-emergency">Emergency</span>}
                      <span className={`status status-${unitStatusShown(u).tone}`}>{unitStatusShown(u).label}</span>
                      {active && (
                        <a className="unit-incident" href={incidentHash(active)}>
                          {references.get(active) ?? active}
                        </a>
                      )}
                      {stacked > 0 && <span className="muted small"> +{stacked} stacked</span>}
                    </span>
                    <span className={`fix${stale ? ' stale' : ''}`}>
                      {formatFixAge(fixedAt, now)}
                      {u.location && stale && <span className="sr-only"> (stale)</span>}
                    </span>
                    <span className="crew" title={u.crew.map((c) => `${c.rank} ${c.name} (${c.collar})`).join(', ')}>
                      {u.crew.length} crew
                      {hasMentalHealthSkill(u) && <span className="skill-badge">MH trained</span>}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}
