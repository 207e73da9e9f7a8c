import { describe, expect, it } from 'vitest';
import { barLayout, formatNumber, kRowHeight, wrapLabel } from './charts';

describe('bar chart layout', () => {
  it('scales bars to the largest value and stacks rows', () => {
    const l = barLayout([{ label: 'AW', value: 10 }, { label: 'CS', value: 5 }, { label: 'NA', value: 0 }], 400);
    expect(l.rows.map((r) => r.y)).toEqual([0, kRowHeight, 2 * kRowHeight]);
    expect(l.rows[1].barWidth).toBeCloseTo(l.rows[0].barWidth / 2, 0);
    expect(l.rows[2].barWidth).toBe(0);
    expect(l.labelWidth + l.rows[0].barWidth).toBeLessThanOrEqual(400);
    expect(l.height).toBe(3 * kRowHeight);
  });
  it('scales to a given maximum (a target) and caps bars at it', () => {
    const l = barLayout([{ label: 'a', value: 50 }, { label: 'b', value: 150 }], 300, 100);
    expect(l.rows[1].barWidth).toBeGreaterThan(l.rows[0].barWidth);
    expect(l.rows[1].barWidth).toBeCloseTo(2 * l.rows[0].barWidth, 0);
  });
  it('draws no bar for negative or missing values, and an empty chart keeps one row of height', () => {
    const l = barLayout([{ label: 'x', value: -3 }, { label: 'y', value: Number.NaN }], 300);
    expect(l.rows.every((r) => r.barWidth === 0)).toBe(true);
    expect(barLayout([], 300).height).toBe(kRowHeight);
  });
});

describe('bar labels on a narrow chart', () => {
  const outcomes = [
    { label: 'police attendance: attended', value: 3 },
    { label: 'police attendance: not yet (incident open)', value: 7 },
  ];
  it('sit beside the bars when they fit in two-fifths of the width', () => {
    const l = barLayout([{ label: 'AW Central West', value: 3 }], 720);
    expect(l.labelAbove).toBe(false);
    expect(l.rows[0].labelLines).toEqual(['AW Central West']);
    expect(l.barX).toBe(l.labelWidth);
  });
  it('sit above their bars, whole, when they do not (a phone): none starts left of the chart', () => {
    const l = barLayout(outcomes, 358);
    expect(l.labelAbove).toBe(true);
    expect(l.barX).toBe(0);
    expect(l.rows.map((r) => r.labelLines.join(' '))).toEqual(outcomes.map((o) => o.label));
    // Each line fits the width at the estimated 7.5 px a character.
    for (const r of l.rows) for (const line of r.labelLines) expect(7.5 * line.length).toBeLessThanOrEqual(358);
    // The bar is under its label, and the next row under the bar.
    expect(l.rows[0].barY).toBeGreaterThanOrEqual(l.rows[0].labelLines.length * l.lineHeight);
    expect(l.rows[1].y).toBe(l.rows[0].y + l.rows[0].height);
    expect(l.rows[0].barY + l.barHeight).toBeLessThanOrEqual(l.rows[0].height);
    expect(l.height).toBe(l.rows[1].y + l.rows[1].height);
    expect(l.rows[1].barWidth + 4 + 8 * '7'.length).toBeLessThanOrEqual(358);
  });
  it('wrap at spaces onto as many lines as they need', () => {
    expect(wrapLabel('police attendance: not yet (incident open)', 20)).toEqual(['police attendance:', 'not yet (incident', 'open)']);
    expect(wrapLabel('short', 20)).toEqual(['short']);
    expect(wrapLabel('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapLabel('', 4)).toEqual(['']);
  });
});

describe('numbers', () => {
  it('formats whole and fractional numbers for people', () => {
    expect(formatNumber(10000)).toBe('10,000');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber('n/a')).toBe('n/a');
  });
});
