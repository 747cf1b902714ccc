// Bringing container rows in line with their monitors' run dirs, as every
// engine does when it opens. Most opens find nothing to record: the probes
// here only read (a query, the run dirs, a few /proc files), so a listing
// pays for them alone; recording an exit loads the lifecycle (events,
// cgroups, networks, --rm) and undoing stale wiring loads the network check.

import fs from 'node:fs';
import path from 'node:path';
import { lazy } from '../lazy';
import type { ContainerRow } from '../store/containers';
import { nowNanos } from '../store/events';
import type { RuntimeContext } from './context';
import { isShimAlive, processRunning, readExitFile } from './shim';

const lifecycle = lazy(() => import('./lifecycle'));
const networkCheck = lazy(() => import('../network/check'));

/** Brings rows of running containers in line with their monitors' run dirs. */
export async function reconcile(ctx: RuntimeContext): Promise<void> {
  for (const row of ctx.containers.list(false)) {
    if (row.state === 'removing') continue;
    const info = readExitFile(ctx.paths.runDir(row.id));
    if (info) await (await lifecycle()).recordExit(ctx, row.id, row.pid, info);
    else if (!isShimAlive(row.monitorPid) && !processRunning(row.pid)) await (await lifecycle()).recordExit(ctx, row.id, row.pid, undefined);
  }
  let runDirs: string[];
  try {
    runDirs = fs.readdirSync(ctx.paths.runRoot);
  } catch {
    return;
  }
  for (const id of runDirs) {
    const row = /^[0-9a-f]{64}$/.test(id) ? ctx.containers.get(id) : undefined;
    if (row && (row.state === 'created' || row.state === 'exited')) adoptOrphan(ctx, row);
  }
  // What a killed engine or monitor left wired is undone by the next engine.
  if (fs.existsSync(ctx.paths.netavarkConfig)) await (await networkCheck()).checkNetworks(ctx).catch(() => undefined);
}

function readPid(file: string): number {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * A monitor runs a container whose start was never recorded: its starter
 * died between launching it and writing the row. The container runs, so the
 * row says so (and rm -f can then stop it) instead of leaving it unseen.
 */
export function adoptOrphan(ctx: RuntimeContext, row: ContainerRow): boolean {
  const runDir = ctx.paths.runDir(row.id);
  const monitor = readPid(path.join(runDir, 'monitor.pid'));
  const pid = readPid(path.join(runDir, 'init.pid'));
  if (!pid || !isShimAlive(monitor) || readExitFile(runDir)) return false;
  return ctx.containers.transition(row.id, ['created', 'exited'], {
    state: 'running',
    pid,
    monitorPid: monitor,
    exitCode: 0,
    error: '',
    startedAt: nowNanos(),
    finishedAt: 0,
  });
}
