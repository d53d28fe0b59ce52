import { useCallback, useRef, useState } from 'react';

export interface Action {
  readonly busy: boolean;
  readonly error: unknown;
  /** Runs the step unless one is already running (nothing double-submits); keeps its error. */
  readonly run: (step: () => Promise<void>) => Promise<void>;
  readonly clearError: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  const run = useCallback(async (step: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (err) {
      setError(err);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
