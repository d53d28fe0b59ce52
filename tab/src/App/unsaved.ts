import { useEffect } from 'react';

/** The pages that hold changes not saved yet (each by a token of its own). */
const holders = new Set<symbol>();

/** Whether some page holds changes that leaving it would lose. */
export const hasUnsavedChanges = (): boolean => holders.size > 0;

/** Leaving was confirmed: what the pages held is let go. */
export const forgetUnsavedChanges = (): void => holders.clear();

/** The browser asks before a reload or close loses what a page holds. */
function askBeforeUnload(event: BeforeUnloadEvent) {
  if (!hasUnsavedChanges()) return;
  event.preventDefault();
  // Older browsers need the return value set to ask.
  event.returnValue = '';
}

/**
 * A page says it holds changes not saved yet: leaving it then asks first (in the tab,
 * and by the browser on reload or close).
 */
export function useUnsavedChanges(unsaved: boolean): void {
  useEffect(() => {
    if (!unsaved) return;
    const token = Symbol('unsaved');
    holders.add(token);
    window.addEventListener('beforeunload', askBeforeUnload);
    return () => {
      holders.delete(token);
      if (!hasUnsavedChanges()) window.removeEventListener('beforeunload', askBeforeUnload);
    };
  }, [unsaved]);
}
