// A request whose result a view shows, re-read when an engine event says it
// changed (or on a timer for what has no events, like a running container's
// writes). Events are not debounced: the first refetch starts at once, and
// events arriving while it runs cause exactly one more, so a change made in
// a terminal shows in well under a quarter of a second.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArgOf, RequestName, ResultOf } from '../../../engine/api';
import type { EngineError } from '../../../engine/errors';
import { useClient, useEvents } from './EngineContext';
import type { HubMessage } from './eventHub';

export interface Query<T> {
  data: T | undefined;
  error: EngineError | undefined;
  loading: boolean;
  reload(): void;
}

export interface QueryOptions {
  /** Which events make this result stale; every resync does. */
  refreshOn?: (m: HubMessage) => boolean;
  /** Re-read this often (ms) while mounted and the page is visible. */
  pollMs?: number;
}

export function useQuery<K extends RequestName>(name: K, arg: ArgOf<K> | null, options: QueryOptions = {}): Query<ResultOf<K>> {
  const client = useClient();
  const key = arg === null ? null : `${name} ${JSON.stringify(arg)}`;
  const [state, setState] = useState<{ key: string | null; data?: ResultOf<K>; error?: EngineError; loading: boolean }>({
    key,
    loading: arg !== null,
  });
  const run = useRef({ inFlight: false, dirty: false, generation: 0 });
  const argRef = useRef(arg);
  argRef.current = arg;

  const fetchNow = useCallback(() => {
    const r = run.current;
    if (argRef.current === null) return;
    if (r.inFlight) {
      r.dirty = true;
      return;
    }
    r.inFlight = true;
    const generation = r.generation;
    const finish = (next: { data?: ResultOf<K>; error?: EngineError }) => {
      if (generation !== r.generation) return; // the view moved on to another key
      r.inFlight = false;
      setState((s) => ({ key: s.key, data: next.error ? s.data : next.data, error: next.error, loading: false }));
      if (r.dirty) {
        r.dirty = false;
        fetchNow();
      }
    };
    client.call(name, argRef.current).then(
      (data) => finish({ data }),
      (error: EngineError) => finish({ error }),
    );
  }, [client, name]);

  useEffect(() => {
    const r = run.current;
    r.generation++;
    r.inFlight = false;
    r.dirty = false;
    setState({ key, loading: key !== null });
    fetchNow();
  }, [key, fetchNow]);

  const refreshOn = options.refreshOn;
  useEvents((m) => {
    if (key === null) return;
    if (m.type === 'resync' || refreshOn?.(m)) fetchNow();
  });

  const pollMs = options.pollMs;
  useEffect(() => {
    if (!pollMs || key === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') fetchNow();
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, key, fetchNow]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    reload: fetchNow,
  };
}
