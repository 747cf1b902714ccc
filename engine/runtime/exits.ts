// Noticing exits as they happen. Containers are daemonless: their monitors
// write exit.json and go. A long-lived engine (the app, `strata events`)
// watches the run dirs of running containers, including ones started by
// other processes (it hears of those through the event log), and records
// each exit the moment it is written, and each restart and health change
// the moment the monitor records it (monitorRecords.ts).

import { findContainer, type RuntimeContext } from './context';
import { isShimAlive, readExitFile, waitForExitFile } from './shim';
import { recordExit } from './lifecycle';
import { syncMonitor } from './monitorRecords';

export class ExitWatcher {
  private readonly watching = new Map<string, AbortController>();

  constructor(private readonly ctx: RuntimeContext) {}

  watchRunning(): void {
    for (const row of this.ctx.containers.list(false)) this.watch(row.id);
  }

  watch(id: string): void {
    if (this.watching.has(id)) return;
    let row;
    try {
      row = findContainer(this.ctx, id);
    } catch {
      return; // removed meanwhile
    }
    if (row.state !== 'running' && row.state !== 'paused' && row.state !== 'restarting') return;
    const abort = new AbortController();
    this.watching.set(id, abort);
    const runDir = this.ctx.paths.runDir(row.id);
    const monitor = row.monitorPid;
    const take = () => void syncMonitor(this.ctx, row.id);
    const loop = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        const info = await waitForExitFile(runDir, 5_000, abort.signal, () => (take(), false));
        if (info || (!abort.signal.aborted && !isShimAlive(monitor) && !readExitFile(runDir))) {
          await recordExit(this.ctx, row.id, monitor, info);
          return;
        }
      }
    };
    loop()
      .catch(() => undefined)
      .finally(() => this.watching.delete(id));
  }

  close(): void {
    for (const a of this.watching.values()) a.abort();
    this.watching.clear();
  }
}
