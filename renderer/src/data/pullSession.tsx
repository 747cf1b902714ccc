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
  /** Whether its panel is shown: each pull shows it until the person closes it. */
  shown: boolean;
  /** Starts a pull; resolves to whether it pulled (false too when another pull is running). */
  start(reference: string, platform: string): Promise<boolean>;
  cancel(): void;
  hide(): void;
}

const Context = createContext<PullSession | null>(null);

export function PullSessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { run } = useActions();
  const [state, setState] = useState<PullState>(idlePull);
  const [shown, setShown] = useState(false);
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
    async (reference: string, platform: string) => {
      if (live.current) return false;
      flush();
      setState(startPull(reference, platform));
      setShown(true);
      const outcome = await run(commands.pull(reference, platform), () =>
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
      return outcome !== undefined;
    },
    [client, run, flush],
  );

  const cancel = useCallback(() => live.current?.close(), []);
  const hide = useCallback(() => setShown(false), []);
  const value = useMemo(() => ({ state, shown, start, cancel, hide }), [state, shown, start, cancel, hide]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function usePullSession(): PullSession {
  const v = useContext(Context);
  if (!v) throw new Error('PullSessionProvider is missing');
  return v;
}
