// London as SVG: borough boundaries from /api/reference/boundaries, incidents
// (circles, by grade) and units with a fix (squares, by status) on top.

import { useEffect, useMemo, useState } from 'react';
import type { BoundaryCollection, Incident, Unit } from '../api/types';
import { fetchBoundaries } from '../reference/referenceData';
import { boroughShapes, boundsOf, makeProjection } from '../lib/projection';
import type { Bounds } from '../lib/projection';
import { humanise, incidentTarget, kGradeNames, normaliseGrade } from '../lib/queue';
import { formatFixAge, isStaleFix } from '../lib/time';
import { countOf } from '../lib/plural';
import { unitStatusTone } from '../lib/units';

/** Greater London, for plotting before (or without) the boundaries. */
const kLondonBounds: Bounds = { minLon: -0.5103, minLat: 51.2868, maxLon: 0.334, maxLat: 51.6919 };
const kWidth = 1000;

interface Props {
  incidents: Incident[];
  units: Unit[];
  now: number;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

export function LondonMap({ incidents, units, now, selectedId, onSelect }: Props) {
  const [boundaries, setBoundaries] = useState<BoundaryCollection | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    fetchBoundaries()
      .then((b) => !cancelled && setBoundaries(b))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, []);

  const projection = useMemo(
    () => makeProjection(boundaries ? boundsOf(boundaries) : kLondonBounds, kWidth, 12),
    [boundaries],
  );
  const shapes = useMemo(() => (boundaries ? boroughShapes(boundaries, projection) : []), [boundaries, projection]);
  const located = units.filter((u) => u.location);
  const placed = incidents.filter(
    (i) => i.status === 'open' && i.location.located !== false && i.location.lat !== null && i.location.lon !== null,
  );
  const h = Math.round(projection.height);

  return (
    <section className="pane pane-map" aria-labelledby="map-h">
      <div className="pane-head">
        <h2 id="map-h">Map</h2>
        <span className="pane-count">
          {countOf(placed.length, 'incident')} · {countOf(located.length, 'unit')} located
        </span>
      </div>
      {error && (
        <p role="status" className="warn-text">
          Borough boundaries unavailable: {error}
        </p>
      )}
      <svg
        className="map"
        viewBox={`0 0 ${kWidth} ${h}`}
        role="img"
        aria-labelledby="map-title map-desc"
        data-testid="london-map"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="map-title">Map of London</title>
        <desc id="map-desc">
          {countOf(shapes.length, 'borough boundary', 'borough boundaries')}, {countOf(placed.length, 'incident')} and{' '}
          {countOf(located.length, 'unit')} with a location. The incident queue and unit list give the same information as text.
        </desc>
        <g className="boroughs">
          {shapes.map((s) => (
            <path key={s.code} className="borough" d={s.d} data-code={s.code}>
              <title>{s.name}</title>
            </path>
          ))}
        </g>
        <g className="unit-marks">
          {located.map((u) => {
            const [x, y] = projection.project(u.location!.lon, u.location!.lat);
            const stale = isStaleFix(u.location!.fixed_at, now);
            return (
              <rect
                key={u.id}
                x={x - 6}
                y={y - 6}
                width={12}
                height={12}
                className={`unit-mark status-${unitStatusTone(u.status)}${stale ? ' stale' : ''}`}
              >
                <title>{`${u.call_sign}: ${humanise(u.status)}, ${formatFixAge(u.location!.fixed_at, now)}`}</title>
              </rect>
            );
          })}
        </g>
        <g className="incident-marks">
          {placed.map((inc) => {
            const [x, y] = projection.project(inc.location.lon!, inc.location.lat!);
            const grade = normaliseGrade(inc.grade);
            const selected = inc.id === selectedId;
            const overdue = incidentTarget(inc, now).overdue;
            return (
              <g key={inc.id} className={`incident-mark grade-${grade}${selected ? ' selected' : ''}`}>
                {(selected || overdue) && (
                  <circle cx={x} cy={y} r={selected ? 20 : 15} className={selected ? 'halo' : 'halo overdue'} />
                )}
                <circle
                  cx={x}
                  cy={y}
                  r={selected ? 12 : 9}
                  onClick={() => {
                    onSelect(inc.id);
                    document.getElementById(`incident-${inc.id}`)?.scrollIntoView({ block: 'nearest' });
                  }}
                >
                  <title>{`${inc.reference} · ${kGradeNames[grade] ?? inc.grade} · ${humanise(inc.type)} · ${inc.location.address}`}</title>
                </circle>
              </g>
            );
          })}
        </g>
      </svg>
      <ul className="legend" aria-label="Map key">
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="6" className="legend-incident" />
          </svg>
          Incident (colour by grade)
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <rect x="1" y="1" width="12" height="12" className="unit-mark status-ok" />
          </svg>
          Unit available
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <rect x="1" y="1" width="12" height="12" className="unit-mark status-busy" />
          </svg>
          Unit committed
        </li>
      </ul>
    </section>
  );
}
