import { describe, expect, it } from 'vitest';
import { barLayout, formatNumber, kRowHeight } from './charts';

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

describe('numbers', () => {
  it('formats whole and fractional numbers for people', () => {
    expect(formatNumber(10000)).toBe('10,000');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber('n/a')).toBe('n/a');
  });
});
