import { useEffect, useState } from 'react';

/**
 * The location hash ("#/board"), kept in state. Hash routes need no server
 * fallback: the server serves dist/ from "/" and every screen lives there.
 */
export function useHashRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}
