// A flat map of London for SVG. Equirectangular with longitude scaled by the
// cosine of the middle latitude: over a city of 50 km the distortion is far
// below what a control room can see, and it needs no library.

import type { BoundaryCollection, BoundaryFeature, Position } from '../api/types';

export interface Bounds {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface Projection {
  /** SVG user units: x grows east, y grows south. */
  project(lon: number, lat: number): [number, number];
  width: number;
  height: number;
}

/** A projection that fits `bounds` into `width` units plus `padding` on each side. */
export function makeProjection(bounds: Bounds, width: number, padding = 0): Projection {
  const midLat = (bounds.minLat + bounds.maxLat) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  const spanX = Math.max((bounds.maxLon - bounds.minLon) * k, 1e-9);
  const spanY = bounds.maxLat - bounds.minLat;
  const scale = (width - 2 * padding) / spanX;
  return {
    width,
    height: spanY * scale + 2 * padding,
    project(lon, lat) {
      return [padding + (lon - bounds.minLon) * k * scale, padding + (bounds.maxLat - lat) * scale];
    },
  };
}

function ringsOf(feature: BoundaryFeature): Position[][] {
  const g = feature.geometry;
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** The smallest box that holds every boundary point. */
export function boundsOf(collection: BoundaryCollection): Bounds {
  const b: Bounds = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const f of collection.features) {
    for (const ring of ringsOf(f)) {
      for (const [lon, lat] of ring) {
        b.minLon = Math.min(b.minLon, lon);
        b.maxLon = Math.max(b.maxLon, lon);
        b.minLat = Math.min(b.minLat, lat);
        b.maxLat = Math.max(b.maxLat, lat);
      }
    }
  }
  return b;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** An SVG path for a polygon or multipolygon: one closed subpath per ring. */
export function featurePath(feature: BoundaryFeature, projection: Projection): string {
  return ringsOf(feature)
    .filter((ring) => ring.length > 0)
    .map((ring) => {
      const pts = ring.map(([lon, lat]) => {
        const [x, y] = projection.project(lon, lat);
        return `${r1(x)} ${r1(y)}`;
      });
      return `M${pts.join('L')}Z`;
    })
    .join('');
}

export interface BoroughShape {
  code: string;
  name: string;
  d: string;
}

export function boroughShapes(collection: BoundaryCollection, projection: Projection): BoroughShape[] {
  return collection.features.map((f) => ({
    code: f.properties.LAD21CD,
    name: f.properties.LAD21NM,
    d: featurePath(f, projection),
  }));
}
