import { EventSource } from 'eventsource';
import { useEffect, useState } from 'react';
import type { Api } from '../api/api-client';
import { myStateSchema, type MyState } from '../api/schemas';

export interface LiveMyState {
  readonly state: MyState | null;
  /** Counts every change of the tenant the server told about: pages with other data refetch on it. */
  readonly changes: number;
  /** The stream is down and reconnecting (the last state is still shown). */
  readonly reconnecting: boolean;
  readonly error: string | null;
}

/**
 * My routing state, kept live by `/me/events` (server-sent events with the Bearer token).
 * The stream reconnects by itself; a state that cannot be read is reported, not dropped.
 */
export function useMyState(api: Api): LiveMyState {
  const [live, setLive] = useState<LiveMyState>({
    state: null,
    changes: 0,
    reconnecting: false,
    error: null,
  });
  useEffect(() => {
    const source = new EventSource('/api/v1/me/events', {
      fetch: (input: string | URL, init) => api.authorizedFetch(input, init),
    });
    source.addEventListener('state', (event) => {
      const parsed = myStateSchema.safeParse(JSON.parse(String(event.data)));
      setLive((l) =>
        parsed.success
          ? { ...l, state: parsed.data, reconnecting: false, error: null }
          : { ...l, error: 'The live state could not be read; showing the last one.' },
      );
    });
    source.addEventListener('changed', () => setLive((l) => ({ ...l, changes: l.changes + 1 })));
    source.addEventListener('open', () => setLive((l) => ({ ...l, reconnecting: false })));
    source.addEventListener('error', (event) => {
      const message = (event as { message?: string }).message;
      setLive((l) => ({
        ...l,
        reconnecting: source.readyState !== source.CLOSED,
        error:
          source.readyState === source.CLOSED
            ? `Live updates stopped: ${message ?? 'the service refused them'}.`
            : l.error,
      }));
    });
    return () => source.close();
  }, [api]);
  return live;
}
