// BCUs and boroughs: who covers where. Reference data every role may read.

import { useEffect, useRef, useState } from 'react';
import type { Bcu, Borough } from '../api/types';
import { fetchBcus, fetchBoroughs } from './referenceData';

const numberFormat = new Intl.NumberFormat('en-GB');

export function ReferencePage() {
  const [bcus, setBcus] = useState<Bcu[] | null>(null);
  const [boroughs, setBoroughs] = useState<Borough[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    Promise.all([fetchBcus(), fetchBoroughs()])
      .then(([b, bo]) => {
        if (cancelled) return;
        setBcus([...b].sort((x, y) => x.name.localeCompare(y.name)));
        setBoroughs([...bo].sort((x, y) => x.name.localeCompare(y.name)));
      })
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const bcuName = new Map((bcus ?? []).map((b) => [b.code, b.name]));

  return (
    <div className="reference">
      <h1 ref={heading} tabIndex={-1}>
        BCUs and boroughs
      </h1>
      {error && (
        <div role="alert" className="error-box">
          <p>Could not load reference data: {error}</p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {!error && (!bcus || !boroughs) && <p role="status">Loading reference data…</p>}
      {bcus && (
        <section aria-labelledby="bcu-h">
          <h2 id="bcu-h">Basic Command Units ({bcus.length})</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">BCU</th>
                  <th scope="col">Boroughs</th>
                  <th scope="col" className="num">
                    Population
                  </th>
                </tr>
              </thead>
              <tbody>
                {bcus.map((b) => (
                  <tr key={b.code}>
                    <td>{b.code}</td>
                    <th scope="row">{b.name}</th>
                    <td>{b.boroughs.map((x) => x.name).join(', ')}</td>
                    <td className="num">{numberFormat.format(b.population)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {boroughs && (
        <section aria-labelledby="borough-h">
          <h2 id="borough-h">Boroughs ({boroughs.length})</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Borough</th>
                  <th scope="col">ONS code</th>
                  <th scope="col">BCU</th>
                  <th scope="col">Force</th>
                </tr>
              </thead>
              <tbody>
                {boroughs.map((b) => (
                  <tr key={b.code}>
                    <th scope="row">{b.name}</th>
                    <td>{b.code}</td>
                    <td>{b.bcu ? (bcuName.get(b.bcu) ?? b.bcu) : '—'}</td>
                    <td>{b.force}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
