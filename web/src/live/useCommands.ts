// Pending and error state for the buttons and forms that send commands: one
// entry per action key, so each button says "…" and shows its own error.
//
// A refusal must be seen even when its control has gone: someone else acted
// first (HTTP 409), the live update took the unit, the alert or the assignment
// off the screen, and with it the place where the error was to be shown. Each
// CommandError on screen claims its key; DetachedCommandErrors shows the
// errors nobody claims, with what was tried, until they are dismissed.

import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RunOptions {
  /** The caller shows this failure itself. */
  quiet?: (err: unknown) => boolean;
  /** What was tried, in words ("Dispatch AW11"), for when the error is shown away from its control. */
  what?: string;
}

export interface CommandFailure {
  message: string;
  what?: string;
}

export interface DetachedError extends CommandFailure {
  key: string;
}

export interface Commands {
  pending: (key: string) => boolean;
  anyPending: boolean;
  error: (key: string) => string | undefined;
  clearError: (key: string) => void;
  /**
   * Runs a command under `key`: while it runs the key is pending; a failure's
   * message is kept under the key unless `quiet` says the caller shows it.
   */
  run: <T>(key: string, fn: () => Promise<T>, options?: RunOptions) => Promise<Outcome<T>>;
  /** Says that `key`'s error is shown next to its control (CommandError does); returns the release. */
  claim: (key: string) => () => void;
  /** The errors whose control is no longer on screen. */
  detached: () => DetachedError[];
}

/** Counts, per key, the places on screen that show its error. */
export class ErrorPlaces {
  private readonly counts = new Map<string, number>();

  claim(key: string): () => void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.counts.get(key) ?? 1) - 1;
      if (n > 0) this.counts.set(key, n);
      else this.counts.delete(key);
    };
  }

  shown(key: string): boolean {
    return this.counts.has(key);
  }
}

/** The errors no control on screen shows, oldest first. */
export function detachedErrors(errors: Record<string, CommandFailure>, places: ErrorPlaces): DetachedError[] {
  return Object.entries(errors)
    .filter(([key]) => !places.shown(key))
    .map(([key, e]) => ({ key, ...e }));
}

/**
 * The server's message for people: it names fields by their API paths ("caller.name is longer
 * than 200 characters", "give person.date_of_birth or person.age"), which read here as words
 * ("Caller name is longer…", "give person date of birth or person age").
 */
export function readablePaths(message: string): string {
  return message.replace(/\b[a-z][a-z0-9]+(?:[._][a-z0-9]{2,})+\b/g, (path) => path.replace(/[._]/g, ' '));
}

/** The same, as a sentence on its own. */
export function readableMessage(message: string): string {
  const words = readablePaths(message);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return readableMessage(err.message);
  return err instanceof Error ? err.message : 'That did not work. Try again.';
}

export function useCommands(): Commands {
  const [pendingKeys, setPendingKeys] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, CommandFailure>>({});
  const running = useRef(new Set<string>());
  const places = useRef(new ErrorPlaces());
  // Claims change in effects (a control mounted or gone): this re-renders the owner then.
  const [, setPlacesVersion] = useState(0);

  const claim = useCallback((key: string) => {
    const release = places.current.claim(key);
    setPlacesVersion((n) => n + 1);
    return () => {
      release();
      setPlacesVersion((n) => n + 1);
    };
  }, []);

  const clearError = useCallback((key: string) => {
    setErrors(({ [key]: _, ...rest }) => rest);
  }, []);

  const run = useCallback(
    async <T,>(key: string, fn: () => Promise<T>, options: RunOptions = {}): Promise<Outcome<T>> => {
      if (running.current.has(key)) return { ok: false, error: new Error('already running') };
      running.current.add(key);
      setPendingKeys(new Set(running.current));
      clearError(key);
      try {
        const value = await fn();
        // Something has been done since: an older refusal of another action (say "AW11 is still
        // assigned" to a status change) is no longer the latest word, and left on screen it reads
        // as if the last action had failed.
        setErrors({});
        return { ok: true, value };
      } catch (error) {
        if (!options.quiet?.(error)) setErrors((e) => ({ ...e, [key]: { message: errorMessage(error), what: options.what } }));
        return { ok: false, error };
      } finally {
        running.current.delete(key);
        setPendingKeys(new Set(running.current));
      }
    },
    [clearError],
  );

  return {
    pending: (key) => pendingKeys.has(key),
    anyPending: pendingKeys.size > 0,
    error: (key) => errors[key]?.message,
    clearError,
    run,
    claim,
    detached: () => detachedErrors(errors, places.current),
  };
}
