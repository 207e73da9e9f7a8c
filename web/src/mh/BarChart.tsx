// A horizontal bar chart in SVG, with the numbers also in text for screen
// readers (the figure's table or list carries them; the chart is a picture).

import { barLayout } from '../lib/charts';
import type { BarItem } from '../lib/charts';

export function BarChart({ items, title, max, width = 560, testId }: { items: BarItem[]; title: string; max?: number; width?: number; testId?: string }) {
  const l = barLayout(items, width, max);
  return (
    <svg
      className="bar-chart"
      viewBox={`0 0 ${l.width} ${l.height}`}
      width="100%"
      style={{ maxWidth: `${l.width}px` }}
      role="img"
      aria-label={`${title}: ${items.map((i) => `${i.label} ${i.valueLabel ?? i.value}`).join('; ')}`}
      data-testid={testId}
    >
      {l.rows.map((r) => (
        <g key={`${r.label}-${r.y}`} transform={`translate(0 ${r.y})`} className="bar-row">
          <text x={l.labelWidth - 6} y={l.rowHeight / 2} dominantBaseline="middle" textAnchor="end" className="bar-label">
            {r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label}
          </text>
          <rect x={l.barX} y={3} width={r.barWidth} height={l.rowHeight - 6} className="bar" rx={2} />
          <text x={l.barX + r.barWidth + 4} y={l.rowHeight / 2} dominantBaseline="middle" className="bar-value">
            {r.valueLabel}
          </text>
        </g>
      ))}
    </svg>
  );
}
