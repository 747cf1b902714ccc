// Every action the app performs is logged with the `strata` command it
// equals, so the GUI teaches the CLI: the strip at the bottom of the window
// shows the command being hovered (what a button would run) and the ones
// that ran, with how long they took and how they ended.

import { createContext, useCallback, useContext, useMemo, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';

export interface ActionEntry {
  id: number;
  command: string;
  status: 'running' | 'done' | 'failed';
  started: number; // performance.now()
  ended?: number;
  /** The result in words ("sha256:3f2a…") or the engine's error message. */
  message?: string;
}

interface ActionsValue {
  entries: ActionEntry[];
  preview: string | null;
  setPreview: Dispatch<SetStateAction<string | null>>;
  /** Runs `work`, logging it as `command`; resolves to its result, or undefined when it failed. */
  run<T>(command: string, work: () => Promise<T>, describe?: (result: T) => string | undefined): Promise<T | undefined>;
}

const Context = createContext<ActionsValue | null>(null);
const keep = 30;

export function ActionsProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<ActionEntry[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const nextId = useRef(1);

  const run = useCallback(async <T,>(command: string, work: () => Promise<T>, describe?: (r: T) => string | undefined) => {
    const id = nextId.current++;
    const update = (patch: Partial<ActionEntry>) => setEntries((list) => list.map((e) => (e.id === id ? { ...e, ...patch } : e)));
    setEntries((list) => [{ id, command, status: 'running' as const, started: performance.now() }, ...list].slice(0, keep));
    try {
      const result = await work();
      update({ status: 'done', ended: performance.now(), message: describe?.(result) });
      return result;
    } catch (err) {
      update({ status: 'failed', ended: performance.now(), message: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }, []);

  const value = useMemo(() => ({ entries, preview, setPreview, run }), [entries, preview, run]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useActions(): ActionsValue {
  const v = useContext(Context);
  if (!v) throw new Error('ActionsProvider is missing');
  return v;
}
