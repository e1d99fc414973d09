import { useCallback, useEffect, useState } from 'react';

export const BASE = '/review';

export type Route = { name: 'queue'; search: URLSearchParams } | { name: 'case'; taskId: string };

export function parseRoute(pathname: string, search: string): Route {
  const m = pathname.match(/^\/review\/case\/([^/]+)\/?$/);
  if (m?.[1]) return { name: 'case', taskId: decodeURIComponent(m[1]) };
  return { name: 'queue', search: new URLSearchParams(search) };
}

export type Navigate = (path: string, opts?: { replace?: boolean }) => void;

/** A tiny history router: two screens do not need a routing library. */
export function useRoute(): [Route, Navigate] {
  const read = () => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const onPop = () => setRoute(read());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback<Navigate>((path, opts) => {
    if (opts?.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    setRoute(read());
  }, []);
  return [route, navigate];
}

export const casePath = (taskId: string) => `${BASE}/case/${encodeURIComponent(taskId)}`;
export const queuePath = (search = '') => `${BASE}/${search ? `?${search}` : ''}`;
