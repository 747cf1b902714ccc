// The pull the app shows: the one it runs or ran last. It lives above the
// views, as a build does: closing the `image.pull` stream cancels the pull,
// so it must not close because the person looked at another view. Messages
// are folded once per frame (a fast pull sends many); the pull is logged in
// the command strip as the `strata pull` it equals.

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PullMessage } from '../../../engine/api';
import { commands } from '../model/commands';
import { endPull, idlePull, reducePull, startPull, type PullState } from '../model/pullProgress';
import { shortId } from '../model/format';
import { useActions } from './actions';
import { useClient } from './EngineContext';

export interface PullSession {
  state: PullState;
  start(reference: string, platform: string): void;
  cancel(): void;
}

const Context = createContext<PullSession | null>(null);

export function PullSessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { run } = useActions();
  const [state, setState] = useState<PullState>(idlePull);
  const live = useRef<{ close(): void } | null>(null);
  const pending = useRef<{ queued: PullMessage[]; frame: number }>({ queued: [], frame: 0 });

  const flush = useCallback(() => {
    const p = pending.current;
    if (p.frame) cancelAnimationFrame(p.frame);
    p.frame = 0;
    const batch = p.queued;
    p.queued = [];
    if (batch.length) setState((s) => batch.reduce(reducePull, s));
  }, []);

  const start = useCallback(
    (reference: string, platform: string) => {
      if (live.current) return;
      flush();
      setState(startPull(reference, platform));
      void run(commands.pull(reference, platform), () =>
        new Promise<PullState['pulled']>((resolve, reject) => {
          const pulled: PullState['pulled'] = [];
          let cancelled = false;
          const stream = client.open('image.pull', { reference, ...(platform ? { platform } : {}) }, {
            onMessage(m) {
              if (m.type === 'pulled') pulled.push(m);
              pending.current.queued.push(m);
              if (!pending.current.frame) pending.current.frame = requestAnimationFrame(flush);
            },
            onEnd(error) {
              live.current = null;
              flush();
              setState((s) => endPull(s, cancelled ? 'cancelled' : { error }));
              if (error || cancelled) reject(new Error(cancelled ? 'Pull cancelled' : error!.message));
              else resolve(pulled);
            },
          });
          live.current = {
            close: () => {
              cancelled = true;
              stream.close();
            },
          };
        }),
        (p) => p.map((x) => `${x.reference} · ${shortId(x.imageId)}${x.upToDate ? ' (up to date)' : ''}`).join(', '),
      );
    },
    [client, run, flush],
  );

  const cancel = useCallback(() => live.current?.close(), []);
  const value = useMemo(() => ({ state, start, cancel }), [state, start, cancel]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function usePullSession(): PullSession {
  const v = useContext(Context);
  if (!v) throw new Error('PullSessionProvider is missing');
  return v;
}
