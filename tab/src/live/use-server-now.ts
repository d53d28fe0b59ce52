import { useEffect, useState } from 'react';

/**
 * The server's time now, from the `now` it last sent: counted on by this page's clock once
 * a second, or held still under a manual server clock (it moves only when told).
 */
export function useServerNow(serverNow: string | undefined, ticking: boolean): number {
  const [offset, setOffset] = useState(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (serverNow) setOffset(Date.parse(serverNow) - Date.now());
  }, [serverNow]);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  if (!serverNow) return Date.now();
  return ticking ? Date.now() + offset : Date.parse(serverNow);
}
