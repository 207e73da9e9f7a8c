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
  /** The label as drawn: one line beside the bar, or wrapped onto lines above it. */
  labelLines: string[];
  valueLabel: string;
  /** The row's top and height; the bar's top within the row. */
  y: number;
  height: number;
  barY: number;
  barWidth: number;
}

export interface BarLayout {
  width: number;
  height: number;
  /** True when the labels are too long to sit beside the bars on this width: each sits above its bar. */
  labelAbove: boolean;
  labelWidth: number;
  barX: number;
  rowHeight: number;
  /** The height of each bar. */
  barHeight: number;
  /** The height of a label's line when labels sit above the bars. */
  lineHeight: number;
  rows: BarRow[];
}

export const kRowHeight = 22;
const kBarHeight = 16;
const kLineHeight = 15;
/** 12px text is about 7.5px a character (DejaVu Sans, wider than most). */
const kCharWidth = 7.5;

/** `text` broken at spaces into lines of at most `max` characters; a longer word is broken where it must be. */
export function wrapLabel(text: string, max: number): string[] {
  const width = Math.max(1, Math.floor(max));
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Rows for `items` in a chart `width` wide; values below zero or not numbers draw no bar. Labels
 * sit beside the bars when the longest fits in two-fifths of the width; else (a phone, a long
 * outcome) each sits above its bar, wrapped to the width, so none is cut off.
 */
export function barLayout(items: readonly BarItem[], width: number, max?: number): BarLayout {
  const longest = Math.max(4, ...items.map((i) => i.label.length));
  // The label ends 6px before the bar.
  const besideWidth = Math.ceil(kCharWidth * longest) + 12;
  const labelAbove = besideWidth > Math.round(width * 0.4);
  const labelWidth = labelAbove ? 0 : besideWidth;
  const valueRoom = 8 * Math.max(3, ...items.map((i) => (i.valueLabel ?? formatNumber(i.value)).length)) + 6;
  const barSpace = Math.max(10, width - labelWidth - valueRoom);
  const top = max ?? Math.max(0, ...items.map((i) => (Number.isFinite(i.value) ? i.value : 0)));
  let y = 0;
  const rows = items.map((item) => {
    const v = Number.isFinite(item.value) && item.value > 0 ? item.value : 0;
    const labelLines = labelAbove ? wrapLabel(item.label, (width - 2) / kCharWidth) : [item.label];
    const height = labelAbove ? labelLines.length * kLineHeight + kBarHeight + 8 : kRowHeight;
    const row = {
      label: item.label,
      labelLines,
      valueLabel: item.valueLabel ?? formatNumber(item.value),
      y,
      height,
      barY: labelAbove ? labelLines.length * kLineHeight + 2 : 3,
      barWidth: top > 0 ? Math.round((Math.min(v, top) / top) * barSpace * 10) / 10 : 0,
    };
    y += height;
    return row;
  });
  return {
    width,
    height: Math.max(kRowHeight, y),
    labelAbove,
    labelWidth,
    barX: labelWidth,
    rowHeight: kRowHeight,
    barHeight: labelAbove ? kBarHeight : kRowHeight - 6,
    lineHeight: kLineHeight,
    rows,
  };
}

/** A number for a chart or table: whole numbers as they are, others to two places at most. */
export function formatNumber(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v === null || v === undefined ? '—' : String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-GB');
  return v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}
