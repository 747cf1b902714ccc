import { useCallback, useEffect, useState } from 'react';
import { formatRoute, parseRoute, type Route } from './routes';

/** The current route and a way to go elsewhere (a new history entry, so Back works). */
export function useRoute(): [Route, (r: Route, replace?: boolean) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((r: Route, replace = false) => {
    const hash = formatRoute(r);
    if (replace) history.replaceState(history.state, '', hash);
    else if (location.hash !== hash) history.pushState(history.state, '', hash);
    setRoute(parseRoute(hash));
  }, []);
  return [route, go];
}
