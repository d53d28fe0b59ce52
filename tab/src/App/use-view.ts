import { useCallback, useEffect, useState } from 'react';
import { hashOf, viewFromHash, type View } from './view';

/** Follows the URL hash, so Back, reloads and deep links land on the same page. */
export function useView(): [View, (view: View) => void] {
  const [view, setView] = useState(() => viewFromHash(window.location.hash));
  useEffect(() => {
    const follow = () => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const navigate = useCallback((next: View) => {
    window.location.hash = hashOf(next);
    setView(next);
  }, []);
  return [view, navigate];
}
