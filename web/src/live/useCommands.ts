// Pending and error state for the buttons and forms that send commands: one
// entry per action key, so each button says "…" and shows its own error.

import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface Commands {
  pending: (key: string) => boolean;
  anyPending: boolean;
  error: (key: string) => string | undefined;
  clearError: (key: string) => void;
  /**
   * Runs a command under `key`: while it runs the key is pending; a failure's
   * message is kept under the key unless `quiet` says the caller shows it.
   */
  run: <T>(key: string, fn: () => Promise<T>, options?: { quiet?: (err: unknown) => boolean }) => Promise<Outcome<T>>;
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
  const [errors, setErrors] = useState<Record<string, string>>({});
  const running = useRef(new Set<string>());

  const clearError = useCallback((key: string) => {
    setErrors(({ [key]: _, ...rest }) => rest);
  }, []);

  const run = useCallback(
    async <T,>(key: string, fn: () => Promise<T>, options: { quiet?: (err: unknown) => boolean } = {}): Promise<Outcome<T>> => {
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
        if (!options.quiet?.(error)) setErrors((e) => ({ ...e, [key]: errorMessage(error) }));
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
    error: (key) => errors[key],
    clearError,
    run,
  };
}
