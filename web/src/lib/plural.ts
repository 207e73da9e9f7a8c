// Counts in words: "1 alert", "2 alerts", "0 alerts".

/** `n` and the noun, singular for exactly one: countOf(1, 'alert') is "1 alert"; `many` for irregular plurals. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
