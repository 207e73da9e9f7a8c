import { describe, expect, it } from 'vitest';
import type { User } from '../api/types';
import { answerOtherTabs, askOtherTabs, tellSignedOut } from './handoff';
import type { Channel, HandoffMessage, HeldSession } from './handoff';

/** Channels of one browser: a message posted on one reaches every other, never itself. */
class Bus {
  private readonly channels = new Set<FakeChannel>();
  open(): FakeChannel {
    const c = new FakeChannel(this);
    this.channels.add(c);
    return c;
  }
  deliver(from: FakeChannel, m: HandoffMessage) {
    for (const c of this.channels) if (c !== from) c.receive(m);
  }
}

class FakeChannel implements Channel {
  private readonly listeners = new Set<(e: { data: unknown }) => void>();
  constructor(private readonly bus: Bus) {}
  postMessage(m: HandoffMessage) {
    this.bus.deliver(this, structuredClone(m));
  }
  addEventListener(_: 'message', l: (e: { data: unknown }) => void) {
    this.listeners.add(l);
  }
  removeEventListener(_: 'message', l: (e: { data: unknown }) => void) {
    this.listeners.delete(l);
  }
  receive(data: unknown) {
    this.listeners.forEach((l) => l({ data }));
  }
}

const controller = { id: 'user-controller', username: 'controller', name: 'Demo Controller', role: 'controller', agency: { id: 'mps', name: 'MPS' } } as unknown as User;
const officer = { ...controller, id: 'user-officer', username: 'officer', name: 'PC Demo Officer', role: 'officer' } as unknown as User;

describe('sessions between tabs', () => {
  it('offers each signed-in session to a new tab once, and nothing from tabs signed out', () => {
    const bus = new Bus();
    const sessions: Array<HeldSession | null> = [{ token: 't1', user: controller }, { token: 't1', user: controller }, { token: 't2', user: officer }, null];
    sessions.forEach((s) => answerOtherTabs(bus.open(), () => s, () => undefined));
    const seen: string[][] = [];
    askOtherTabs(bus.open(), (offers) => seen.push(offers.map((o) => `${o.token}:${o.user.name}`)));
    expect(seen.at(-1)).toEqual(['t1:Demo Controller', 't2:PC Demo Officer']);
  });

  it('signs out only the tabs holding the session signed out', () => {
    const bus = new Bus();
    const out: string[] = [];
    answerOtherTabs(bus.open(), () => ({ token: 't1', user: controller }), () => out.push('a'));
    answerOtherTabs(bus.open(), () => ({ token: 't2', user: officer }), () => out.push('b'));
    tellSignedOut(bus.open(), 't1');
    expect(out).toEqual(['a']);
  });

  it('ignores what is not one of its messages, and stops listening when stopped', () => {
    const bus = new Bus();
    const offers: number[] = [];
    const asker = bus.open();
    const stop = askOtherTabs(asker, (o) => offers.push(o.length));
    asker.receive({ type: 'here', token: 't9' }); // no user
    asker.receive('who');
    expect(offers).toEqual([]);
    stop();
    asker.receive({ type: 'here', token: 't1', user: controller });
    expect(offers).toEqual([]);
  });
});
