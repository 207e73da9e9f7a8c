// UUIDs for Idempotency-Key headers. crypto.randomUUID exists only in secure contexts (https or
// localhost); getRandomValues works everywhere.

type Fill = (bytes: Uint8Array) => void;

function format(b: Uint8Array): string {
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A time-ordered UUID, version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds,
 * the other 74 free bits random. The server keeps every command's key in a B-tree index (so that a
 * retry gets the first outcome, DESIGN.md §4); keys that start with the time land on the index's
 * newest pages, where random ones each land on a page of their own, and each such page is written
 * again at every commit. The key is no less unique: 74 random bits per millisecond.
 */
export function timeOrderedUuid(now: () => number = Date.now, random: Fill = fillRandom): string {
  const b = new Uint8Array(16);
  random(b);
  let ms = Math.max(0, Math.floor(now()));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70; // version 7
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
  return format(b);
}

function fillRandom(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes);
}
