import { useEffect, useState } from 'react';
import { api } from '../api/instance';
import type { Health } from '../api/types';
import { kHealthEveryMs, writeProblem, writeProblemText } from './serverHealth';

/**
 * A red line under the header, on every screen, while the server says it cannot record anything
 * (see serverHealth.ts). Health that cannot be read says nothing here: the screens' own freshness
 * lines show a lost connection.
 */
export function WriteProblemBanner() {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const h = await api.get<Health>('/api/health');
        if (!stopped) setProblem(writeProblem(h));
      } catch {
        // Unreachable: the freshness lines say so.
      }
      if (!stopped) timer = setTimeout(() => void check(), kHealthEveryMs);
    };
    void check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (!problem) return null;
  return (
    <div className="write-problem" role="alert" data-testid="write-problem">
      {writeProblemText(problem)}
    </div>
  );
}
