// Reference data changes rarely: fetch each kind once per page load and share
// it. A failed fetch is forgotten so the next caller tries again.

import { api } from '../api/instance';
import type { Bcu, Borough, BoundaryCollection } from '../api/types';

const cache = new Map<string, Promise<unknown>>();

function once<T>(path: string): Promise<T> {
  let p = cache.get(path) as Promise<T> | undefined;
  if (!p) {
    p = api.get<T>(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

export const fetchBcus = () => once<Bcu[]>('/api/reference/bcus');
export const fetchBoroughs = () => once<Borough[]>('/api/reference/boroughs');
export const fetchBoundaries = () => once<BoundaryCollection>('/api/reference/boundaries');
