// Sessions between tabs of the same browser. Each tab keeps its own session
// (sessionStorage: closing the last tab ends it, which matters on a shared
// control-room workstation), so a link opened in a new tab lands on the sign-in
// screen. There, tabs already signed in answer "who is here?" and the screen
// offers "Continue as …" — one click, chosen by the person at the keyboard,
// never taken silently. Signing out in one tab signs out every tab holding the
// same session.

import type { User } from '../api/types';

export type HandoffMessage =
  | { type: 'who' }
  | { type: 'here'; token: string; user: User }
  | { type: 'signed_out'; token: string };

/** What the channel needs of a BroadcastChannel (a fake one in tests). */
export interface Channel {
  postMessage(m: HandoffMessage): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  close?(): void;
}

export interface HeldSession {
  token: string;
  user: User | null;
}

function isMessage(d: unknown): d is HandoffMessage {
  if (typeof d !== 'object' || d === null) return false;
  const m = d as Record<string, unknown>;
  if (m.type === 'who') return true;
  if (m.type === 'signed_out') return typeof m.token === 'string';
  return m.type === 'here' && typeof m.token === 'string' && typeof m.user === 'object' && m.user !== null;
}

/**
 * A signed-in tab's side: answers "who" with its session, and calls `onSignedOutElsewhere`
 * when another tab signs out the session this tab holds. Returns the stop.
 */
export function answerOtherTabs(channel: Channel, held: () => HeldSession | null, onSignedOutElsewhere: () => void): () => void {
  const listener = (e: { data: unknown }) => {
    if (!isMessage(e.data)) return;
    const mine = held();
    if (e.data.type === 'who' && mine?.user) channel.postMessage({ type: 'here', token: mine.token, user: mine.user });
    if (e.data.type === 'signed_out' && mine && e.data.token === mine.token) onSignedOutElsewhere();
  };
  channel.addEventListener('message', listener);
  return () => channel.removeEventListener('message', listener);
}

/** The sign-in screen's side: asks once, and hears each distinct session offered (by token). */
export function askOtherTabs(channel: Channel, onOffer: (offers: Array<{ token: string; user: User }>) => void): () => void {
  const offers = new Map<string, User>();
  const listener = (e: { data: unknown }) => {
    if (!isMessage(e.data) || e.data.type !== 'here' || offers.has(e.data.token)) return;
    offers.set(e.data.token, e.data.user);
    onOffer([...offers].map(([token, user]) => ({ token, user })));
  };
  channel.addEventListener('message', listener);
  channel.postMessage({ type: 'who' });
  return () => channel.removeEventListener('message', listener);
}

/** Tells the other tabs that `token` is signed out. */
export function tellSignedOut(channel: Channel, token: string): void {
  channel.postMessage({ type: 'signed_out', token });
}

/** The browser's channel, or null where BroadcastChannel is missing. */
export function browserChannel(): Channel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : (new BroadcastChannel('concordat.session') as unknown as Channel);
  } catch {
    return null;
  }
}
