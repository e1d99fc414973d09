import { useEffect, useState } from 'react';

/** Re-renders every `everyMs` so countdowns move; `skewMs` aligns the browser clock with the server's. */
export function useNow(everyMs = 1000, skewMs = 0): number {
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    setNow(Date.now() + skewMs);
    const t = setInterval(() => setNow(Date.now() + skewMs), everyMs);
    return () => clearInterval(t);
  }, [everyMs, skewMs]);
  return now;
}
