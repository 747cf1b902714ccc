// Every action the app performs is logged with the `strata` command it
// equals, so the GUI teaches the CLI: the strip at the bottom of the window
// shows the command being hovered (what a button would run) and the ones
// that ran, with how long they took and how they ended. The log is kept in
// the page's storage (model/commandHistory.ts), so a reload keeps it.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { keepEntries, restoreHistory, saveHistory, storageKey, type ActionEntry } from '../model/commandHistory';

export type { ActionEntry } from '../model/commandHistory';

interface ActionsValue {
  entries: ActionEntry[];
  preview: string | null;
  setPreview: Dispatch<SetStateAction<string | null>>;
  /** Runs `work`, logging it as `command`; resolves to its result, or undefined when it failed. */
  run<T>(command: string, work: () => Promise<T>, describe?: (result: T) => string | undefined): Promise<T | undefined>;
  /** Forgets the history (here and in the page's storage). */
  clear(): void;
}

const Context = createContext<ActionsValue | null>(null);

function stored(): ActionEntry[] {
  try {
    return restoreHistory(localStorage.getItem(storageKey));
  } catch {
    return []; // storage refused (a private window's quota, a sandboxed page)
  }
}

export function ActionsProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<ActionEntry[]>(stored);
  const [preview, setPreview] = useState<string | null>(null);
  const nextId = useRef(Math.max(0, ...entries.map((e) => e.id)) + 1);

  useEffect(() => {
    try {
      localStorage.setItem(storageKey, saveHistory(entries));
    } catch {
      // Not kept across reloads then; the strip still shows it.
    }
  }, [entries]);

  const run = useCallback(async <T,>(command: string, work: () => Promise<T>, describe?: (r: T) => string | undefined) => {
    const id = nextId.current++;
    const update = (patch: Partial<ActionEntry>) => setEntries((list) => list.map((e) => (e.id === id ? { ...e, ...patch } : e)));
    setEntries((list) => [{ id, command, status: 'running' as const, started: Date.now() }, ...list].slice(0, keepEntries));
    try {
      const result = await work();
      update({ status: 'done', ended: Date.now(), message: describe?.(result) });
      return result;
    } catch (err) {
      update({ status: 'failed', ended: Date.now(), message: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }, []);

  const clear = useCallback(() => setEntries([]), []);
  const value = useMemo(() => ({ entries, preview, setPreview, run, clear }), [entries, preview, run, clear]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useActions(): ActionsValue {
  const v = useContext(Context);
  if (!v) throw new Error('ActionsProvider is missing');
  return v;
}
