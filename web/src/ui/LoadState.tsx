// What a screen shows until its data has loaded: the load's error with Try
// again, or that it is loading.

interface Props {
  /** The load's error; while there is none, the screen is loading. */
  error: { message: string } | null;
  onRetry: () => void;
  /** Leads the error's message: "Could not load the board". */
  failed: string;
  loading?: string;
}

export function LoadState({ error, onRetry, failed, loading = 'Loading…' }: Props) {
  return error ? (
    <div role="alert" className="error-box">
      <p>
        {failed}: {error.message}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  ) : (
    <p role="status" className="loading">
      {loading}
    </p>
  );
}
