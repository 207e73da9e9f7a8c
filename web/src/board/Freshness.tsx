import type { StreamStatus } from '../lib/stream';
import { freshness } from '../lib/freshness';

/** "Live" / "Offline since … — reconnecting" / "Reconnected — caught up …". */
interface Props {
  status: StreamStatus;
  /** This browser's clock. */
  clientNow: number;
  /** Server clock minus this browser's. */
  skewMs: number;
}

export function Freshness({ status, clientNow, skewMs }: Props) {
  const f = freshness(status, clientNow, skewMs);
  return (
    <span className={`freshness tone-${f.tone}`} role="status" aria-live="polite" data-testid="freshness">
      <span className="dot" aria-hidden="true" />
      {f.text}
    </span>
  );
}
