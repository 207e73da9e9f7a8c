// The signed-in session, kept in sessionStorage: it survives a reload of the
// tab but not closing it. Another tab gets it only when the person at the
// keyboard chooses "Continue as …" on that tab's sign-in screen (handoff.ts).

import type { User } from '../api/types';

const kTokenKey = 'concordat.token';
const kUserKey = 'concordat.user';

export interface StoredSession {
  token: string;
  user: User | null;
}

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // Storage blocked by browser settings.
  }
}

export function loadSession(): StoredSession | null {
  const s = storage();
  const token = s?.getItem(kTokenKey);
  if (!s || !token) return null;
  let user: User | null = null;
  try {
    user = JSON.parse(s.getItem(kUserKey) ?? 'null') as User | null;
  } catch {
    user = null;
  }
  return { token, user };
}

export function saveSession(token: string, user: User): void {
  const s = storage();
  s?.setItem(kTokenKey, token);
  s?.setItem(kUserKey, JSON.stringify(user));
}

export function saveUser(user: User): void {
  storage()?.setItem(kUserKey, JSON.stringify(user));
}

export function clearSession(): void {
  const s = storage();
  s?.removeItem(kTokenKey);
  s?.removeItem(kUserKey);
}

export function currentToken(): string | null {
  return storage()?.getItem(kTokenKey) ?? null;
}
