// The kernel's steps since the app opened, kept for the timeline whichever
// view is open: the event hub carries them, this keeps the latest few hundred.

import { createContext, useContext, useRef, useState, type ReactNode } from 'react';
import { useEvents } from './EngineContext';
import { appendRow, operationRow, stepRow, type TimelineRow } from '../model/kernelSteps';

const Context = createContext<readonly TimelineRow[]>([]);

export function KernelLogProvider({ children }: { children: ReactNode }) {
  const [rows, setRows] = useState<readonly TimelineRow[]>([]);
  const seq = useRef(0);
  useEvents((m) => {
    if (m.type === 'resync' || m.type === 'pull' || m.type === 'push') return;
    const row = m.type === 'kernel' ? stepRow(m, seq.current++) : operationRow(m, seq.current++);
    if (row) setRows((r) => appendRow(r, row));
  });
  return <Context.Provider value={rows}>{children}</Context.Provider>;
}

export const useKernelLog = () => useContext(Context);
