// Bringing container rows in line with their monitors' run dirs, as every
// engine does when it opens. Most opens find nothing to record: the probes
// here only read (a query, the run dirs, a few /proc files), so a listing
// pays for them alone; recording an exit loads the lifecycle (events,
// cgroups, networks, --rm) and undoing stale wiring loads the network check.

import fs from 'node:fs';
import path from 'node:path';
import { isLive } from '../api';
import { lazy } from '../lazy';
import type { ContainerRow } from '../store/containers';
import { nowNanos } from '../store/events';
import type { RuntimeContext } from './context';
import { writerAlive } from '../store/liveness';
import { syncMonitor } from './monitorRecords';
import { isShimAlive, processRunning, readExitFile } from './shim';

const lifecycle = lazy(() => import('./lifecycle'));
const networkCheck = lazy(() => import('../network/check'));

/** Brings rows of running containers in line with their monitors' run dirs. */
export async function reconcile(ctx: RuntimeContext): Promise<void> {
  for (const listed of ctx.containers.list(false)) {
    if (listed.state === 'removing') continue;
    try {
      const row = syncMonitor(ctx, listed) ?? listed;
      const info = readExitFile(ctx.paths.runDir(row.id));
      if (info) await (await lifecycle()).recordExit(ctx, row.id, row.monitorPid, info);
      else if (!isShimAlive(row.monitorPid) && !processRunning(row.pid)) await (await lifecycle()).recordExit(ctx, row.id, row.monitorPid, undefined);
    } catch {
      // One container's trouble (another process removing it meanwhile) must not keep the engine from
      // opening: every request waits for this. The next look at it records it.
    }
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
  // A starter still at work records the start itself.
  if (!pid || !isShimAlive(monitor) || readExitFile(runDir) || startInProgress(ctx, row.id)) return false;
  return ctx.containers.transition(row.id, ['created', 'exited'], {
    state: 'running',
    pid,
    monitorPid: monitor,
    exitCode: 0,
    error: '',
    startedAt: nowNanos(),
    finishedAt: 0,
    restartCount: 0,
    manuallyStopped: false,
    monitorOffset: 0,
  });
}

/** A start of this container is under way in a process that still runs (it wrote run/<id>/starting). */
export function startInProgress(ctx: RuntimeContext, id: string): boolean {
  try {
    return writerAlive(fs.readFileSync(path.join(ctx.paths.runDir(id), 'starting'), 'utf8').trim());
  } catch {
    return false;
  }
}

/**
 * The container as its monitor last said: restarts and health changes
 * taken, an exit it wrote recorded. Any engine sees the truth this way, the
 * app's long-lived one included.
 */
export async function refreshContainer(ctx: RuntimeContext, rowOrId: ContainerRow | string): Promise<ContainerRow | undefined> {
  const row = syncMonitor(ctx, rowOrId);
  if (!row || !isLive(row.state)) return row;
  const info = readExitFile(ctx.paths.runDir(row.id));
  if (!info) return row;
  await (await lifecycle()).recordExit(ctx, row.id, row.monitorPid, info);
  return ctx.containers.get(row.id);
}
