// A horizontal bar chart in SVG, laid out for the width it actually has (so
// its text stays readable on a phone: labels too long to sit beside the bars
// sit above them, wrapped), with the figures in its accessible name; the table
// beside it carries them too.

import { useEffect, useRef, useState } from 'react';
import { barLayout } from '../lib/charts';
import type { BarItem } from '../lib/charts';

export function BarChart({ items, title, max, maxWidth = 720, testId }: { items: BarItem[]; title: string; max?: number; maxWidth?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(560);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.min(maxWidth, Math.floor(el.clientWidth))));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [maxWidth]);
  const l = barLayout(items, width, max);
  return (
    <div ref={box} className="bar-chart-box">
      <svg
        className="bar-chart"
        viewBox={`0 0 ${l.width} ${l.height}`}
        width={l.width}
        height={l.height}
        role="img"
        aria-label={`${title}: ${items.map((i) => `${i.label} ${i.valueLabel ?? i.value}`).join('; ')}`}
        data-testid={testId}
      >
        {l.rows.map((r) => (
          <g key={`${r.label}-${r.y}`} transform={`translate(0 ${r.y})`} className="bar-row">
            {l.labelAbove ? (
              <text x={0} y={0} className="bar-label">
                {r.labelLines.map((line, i) => (
                  <tspan key={i} x={0} y={(i + 1) * l.lineHeight - 3}>
                    {line}
                  </tspan>
                ))}
              </text>
            ) : (
              <text x={l.labelWidth - 6} y={r.height / 2} dominantBaseline="middle" textAnchor="end" className="bar-label">
                {r.label}
              </text>
            )}
            <rect x={l.barX} y={r.barY} width={r.barWidth} height={l.barHeight} className="bar" rx={2} />
            <text x={l.barX + r.barWidth + 4} y={r.barY + l.barHeight / 2} dominantBaseline="middle" className="bar-value">
              {r.valueLabel}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
