// Layout for the simple horizontal bar charts (training coverage, reports):
// one row per item, bars scaled to the largest value (or a given maximum),
// labels left, values right. SVG, no chart library.

export interface BarItem {
  label: string;
  value: number;
  /** Shown at the end of the bar; defaults to the value. */
  valueLabel?: string;
}

export interface BarRow {
  label: string;
  valueLabel: string;
  y: number;
  barWidth: number;
}

export interface BarLayout {
  width: number;
  height: number;
  labelWidth: number;
  barX: number;
  rowHeight: number;
  rows: BarRow[];
}

export const kRowHeight = 22;

/** Rows for `items` in a chart `width` wide; values below zero or not numbers draw no bar. */
export function barLayout(items: readonly BarItem[], width: number, max?: number): BarLayout {
  const longest = Math.max(4, ...items.map((i) => i.label.length));
  // 12px text is about 7.5px a character (DejaVu Sans, wider than most); the label ends 6px before the bar.
  const labelWidth = Math.min(Math.round(width * 0.4), Math.ceil(7.5 * longest) + 12);
  const valueRoom = 8 * Math.max(3, ...items.map((i) => (i.valueLabel ?? formatNumber(i.value)).length)) + 6;
  const barSpace = Math.max(10, width - labelWidth - valueRoom);
  const top = max ?? Math.max(0, ...items.map((i) => (Number.isFinite(i.value) ? i.value : 0)));
  const rows = items.map((item, n) => {
    const v = Number.isFinite(item.value) && item.value > 0 ? item.value : 0;
    return {
      label: item.label,
      valueLabel: item.valueLabel ?? formatNumber(item.value),
      y: n * kRowHeight,
      barWidth: top > 0 ? Math.round((Math.min(v, top) / top) * barSpace * 10) / 10 : 0,
    };
  });
  return { width, height: Math.max(kRowHeight, items.length * kRowHeight), labelWidth, barX: labelWidth, rowHeight: kRowHeight, rows };
}

/** A number for a chart or table: whole numbers as they are, others to two places at most. */
export function formatNumber(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v === null || v === undefined ? '—' : String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-GB');
  return v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}
