import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BoundaryCollection } from '../api/types';
import { boroughShapes, boundsOf, makeProjection } from './projection';

const boundaries = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../data/refdata/london/london_boroughs_lad2021.geojson', import.meta.url)),
    'utf8',
  ),
) as BoundaryCollection;

describe('makeProjection', () => {
  const bounds = { minLon: -0.5, maxLon: 0.3, minLat: 51.3, maxLat: 51.7 };
  const p = makeProjection(bounds, 1000, 10);

  it('puts north-west top-left and south-east bottom-right, inside the padding', () => {
    expect(p.project(-0.5, 51.7)).toEqual([10, 10]);
    const [x, y] = p.project(0.3, 51.3);
    expect(x).toBeCloseTo(990, 6);
    expect(y).toBeCloseTo(p.height - 10, 6);
  });
  it('scales longitude by the cosine of the middle latitude', () => {
    const k = Math.cos((51.5 * Math.PI) / 180);
    const [x0, y0] = p.project(-0.1, 51.5);
    const [x1] = p.project(0.0, 51.5);
    const [, y1] = p.project(-0.1, 51.4);
    expect((x1 - x0) / (y1 - y0)).toBeCloseTo(k, 9);
    expect(p.height - 20).toBeCloseTo((980 * 0.4) / (0.8 * k), 6);
  });
});

describe('London boundaries', () => {
  it('has 33 boroughs (32 and the City) and every one becomes a closed path', () => {
    const p = makeProjection(boundsOf(boundaries), 1000, 8);
    const shapes = boroughShapes(boundaries, p);
    expect(shapes).toHaveLength(33);
    expect(new Set(shapes.map((s) => s.code)).size).toBe(33);
    for (const s of shapes) {
      expect(s.d).toMatch(/^M[-\d. L]+Z/);
      for (const n of s.d.match(/-?\d+(\.\d+)?/g) ?? []) {
        expect(Number(n)).toBeGreaterThanOrEqual(0);
        expect(Number(n)).toBeLessThanOrEqual(1000);
      }
    }
    expect(shapes.find((s) => s.code === 'E09000001')?.name).toBe('City of London');
  });
  it('finds the bounds of Greater London', () => {
    const b = boundsOf(boundaries);
    expect(b.minLon).toBeCloseTo(-0.51, 1);
    expect(b.maxLon).toBeCloseTo(0.33, 1);
    expect(b.minLat).toBeCloseTo(51.29, 1);
    expect(b.maxLat).toBeCloseTo(51.69, 1);
  });
  it('places Charing Cross inside the map, west of Romford and north of Croydon', () => {
    const p = makeProjection(boundsOf(boundaries), 1000, 8);
    const [cx, cy] = p.project(-0.1246, 51.5073);
    const [rx] = p.project(0.1837, 51.5768);
    const [, croydonY] = p.project(-0.0982, 51.3762);
    expect(cx).toBeGreaterThan(0);
    expect(cx).toBeLessThan(rx);
    expect(cy).toBeLessThan(croydonY);
  });
});
