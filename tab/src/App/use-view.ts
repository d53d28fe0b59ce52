import { useCallback, useEffect, useRef, useState } from 'react';
import { forgetUnsavedChanges, hasUnsavedChanges } from './unsaved';
import { hashOf, viewFromHash, type View } from './view';

export interface ViewState {
  readonly view: View;
  /** Goes to a page; with unsaved changes on this one, asks first. */
  readonly navigate: (view: View) => void;
  /** The page the person wants to go to while this one holds unsaved changes (ask them). */
  readonly leaving: View | null;
  /** Leave anyway (the changes are lost), or stay. */
  readonly leave: () => void;
  readonly stay: () => void;
}

/**
 * Follows the URL hash, so Back, reloads and deep links land on the same page; leaving a
 * page that holds unsaved changes (a tab, a link, Back) waits for the person to say so.
 */
export function useView(): ViewState {
  const [view, setView] = useState(() => viewFromHash(window.location.hash));
  const [leaving, setLeaving] = useState<View | null>(null);
  const shown = useRef(view);
  shown.current = view;
  const go = useCallback((next: View) => {
    if (window.location.hash !== hashOf(next)) window.location.hash = hashOf(next);
    setView(next);
  }, []);
  useEffect(() => {
    const follow = () => {
      const next = viewFromHash(window.location.hash);
      if (hashOf(next) === hashOf(shown.current)) return;
      if (!hasUnsavedChanges()) return setView(next);
      // The address moved already (a link, Back): it shows this page until they decide.
      window.history.replaceState(null, '', hashOf(shown.current));
      setLeaving(next);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const navigate = useCallback(
    (next: View) => {
      if (hashOf(next) !== hashOf(shown.current) && hasUnsavedChanges()) setLeaving(next);
      else go(next);
    },
    [go],
  );
  const leave = useCallback(() => {
    if (!leaving) return;
    forgetUnsavedChanges();
    setLeaving(null);
    go(leaving);
  }, [leaving, go]);
  const stay = useCallback(() => setLeaving(null), []);
  return { view, navigate, leaving, leave, stay };
}
