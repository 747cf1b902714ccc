// The container lifecycle: start, stop, kill, pause, unpause, restart, remove,
// wait, rename — each checked against Docker's rules (states.ts), each state
// change recorded as an event. The truth about a running container is the
// monitor's run dir; the database is brought back in line with it whenever
// the engine opens (reconcile.ts) or notices an exit.

import fs from 'node:fs';

import { isLive, liveStates } from '../api';
import { conflict, EngineError } from '../errors';
import { validateContainerName } from '../oci/reference';
import type { ContainerRow } from '../store/containers';
import { nowNanos } from '../store/events';
import { writerIdentity } from '../store/liveness';
import path from 'node:path';
import { freeze, loadCgroups, makeCgroups, planCgroups, removeCgroups, saveCgroups, thaw, type ContainerCgroups } from './cgroups';
import { containerEvent, findContainer, kernelEvent, type RuntimeContext } from './context';
import { freezeStep, shellWord, signalStep } from './kernelSteps';
import { parseSecurityOpts } from './security';
import { lazy } from '../lazy';
import { saveStartContext, syncMonitor } from './monitorRecords';
import { logFileOf } from './logDriver';
import { resourcesOf } from './resources/limits';
import { restartMonitorArgs } from './restartPolicy';
import { isShimAlive, processRunning, shimStart, waitForExitFile, waitShimGone, type ExitInfo, type HeldSocket } from './shim';
import { adoptOrphan, refreshContainer } from './reconcile';
import { parseSignal } from './signals';
import { assertAllowed } from './states';

const sigterm = 15;

// Networks and volumes load when a command needs them: `stop` and the like do not.
const network = lazy(() => import('../network/attach'));
// The spec's writer (security, seccomp, limits) and the cgroup writer load only when a container starts: `ps` needs neither.
const launch = lazy(async () => ({
  ...(await import('./prepare')),
  ...(await import('./resources/apply')),
  ...(await import('./healthcheck')),
}));
const volume = lazy(async () => ({ ...(await import('../volume/mounts')), ...(await import('../volume/volumes')), ...(await import('../volume/seed')) }));

const cgroupsFile = (ctx: RuntimeContext, id: string) => path.join(ctx.paths.containerDir(id), 'cgroups.json');

/** The cgroups the container's last start made (undefined if it never started). */
export function cgroupsOf(ctx: RuntimeContext, id: string): ContainerCgroups | undefined {
  return loadCgroups(cgroupsFile(ctx, id));
}

function requireCgroups(ctx: RuntimeContext, row: ContainerRow): ContainerCgroups {
  const cg = cgroupsOf(ctx, row.id);
  if (!cg) throw new EngineError('Internal', `container ${row.id} has no cgroups recorded`);
  return cg;
}

/** Starts a created or exited container; with attach, returns the stdio socket from the first byte. */
export async function startContainer(ctx: RuntimeContext, ref: string, attach = false): Promise<{ row: ContainerRow; socket?: HeldSocket }> {
  let row = findContainer(ctx, ref);
  assertAllowed('start', row.state, ref);
  if (row.state === 'running' || row.state === 'restarting') return { row };
  const runDir = ctx.paths.runDir(row.id);
  // What a monitor that died may have left wired must go before its run dir does.
  const { leaveNetworks } = await network();
  await leaveNetworks(ctx, row.id);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  // Who is starting it, for `system check`: what a start in progress made is not debris.
  const starting = path.join(runDir, 'starting');
  fs.writeFileSync(starting, writerIdentity());
  try {
    return await launchContainer(ctx, row, attach);
  } catch (err) {
    // Removed while it started: what this start wrote after the remover emptied the dirs goes too.
    if (isBeingRemoved(ctx, row.id)) removeLeftovers(ctx, row.id);
    throw err;
  } finally {
    fs.rmSync(starting, { force: true });
  }
}

async function launchContainer(ctx: RuntimeContext, row: ContainerRow, attach: boolean): Promise<{ row: ContainerRow; socket?: HeldSocket }> {
  const runDir = ctx.paths.runDir(row.id);
  const { joinNetworks, leaveNetworks } = await network();
  const { seedVolumes } = await volume();
  const { writeRuntimeSpec, applyResources, healthMonitorArgs } = await launch();
  const logFile = logFileOf(ctx, row);
  if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o710 });
  const join = joinNetworks(ctx, row);
  // Recorded before they exist, so a crash in between leaves cgroups that are known.
  const cgroups = planCgroups(row.id);
  let started;
  try {
    seedVolumes(ctx, row);
    const { args } = writeRuntimeSpec(ctx, row, { strict: true, join });
    saveCgroups(cgroupsFile(ctx, row.id), cgroups);
    makeCgroups(cgroups);
    // The limits are in place before the container's first process joins its cgroups.
    const limits = applyResources(cgroups, resourcesOf(row.spec.HostConfig));
    // Whichever engine takes the launch's records enriches them with these (each restart's too).
    const seccomp = parseSecurityOpts(row.spec.HostConfig.SecurityOpt ?? []).seccomp;
    saveStartContext(ctx, row.id, { limits, args, seccompProfile: seccomp === 'default' ? 'default' : 'custom' });
    started = await shimStart({
      bundle: ctx.paths.containerDir(row.id),
      runDir,
      cgroups: cgroups.dirs,
      logFile,
      attach,
      network: join.dir,
      policy: [...restartMonitorArgs(row), ...healthMonitorArgs(ctx, row)],
    });
  } catch (err) {
    await leaveNetworks(ctx, row.id).catch(() => undefined);
    await removeCgroups(cgroups).catch(() => undefined);
    const e = err as EngineError;
    const code = e.code === 'CommandNotFound' ? 127 : e.code === 'CannotExecute' ? 126 : 128;
    // As Docker: a container whose process could not start stays as it was, with the error recorded.
    ctx.containers.transition(row.id, ['created', 'exited'], { exitCode: code, error: e.message });
    throw err;
  }
  const now = nowNanos();
  // The start is told in the same transaction that makes it, so no other engine tells what the monitor did
  // next (an exit, a restart) before it.
  const moved = ctx.containers.atomically(() => {
    const made = ctx.containers.transition(row.id, ['created', 'exited'], {
      state: 'running',
      pid: started.ready.pid,
      monitorPid: started.ready.monitor,
      exitCode: 0,
      error: '',
      startedAt: now,
      finishedAt: 0,
      // As a start by hand in Docker: the count and the manual stop start over.
      restartCount: 0,
      manuallyStopped: false,
      monitorOffset: 0,
    });
    if (made) {
      const running = ctx.containers.get(row.id)!;
      if (attach) containerEvent(ctx, running, 'attach');
      containerEvent(ctx, running, 'start');
    }
    return made;
  });
  const adopted = !moved && ctx.containers.get(row.id)?.pid === started.ready.pid;
  if (!moved && !adopted) {
    // Someone else started or removed it meanwhile: do not leave a second process running.
    try {
      process.kill(started.ready.pid, 'SIGKILL');
    } catch {
      // it ended already
    }
    if (isBeingRemoved(ctx, row.id)) {
      // Removed: nothing of this launch may outlive it (its monitor goes once its process has).
      await waitShimGone(started.ready.monitor);
      await leaveNetworks(ctx, row.id).catch(() => undefined);
      await removeCgroups(cgroups).catch(() => undefined);
    }
    throw conflict(`container ${row.name} changed state while starting`);
  }
  row = ctx.containers.get(row.id) ?? row;
  // The launch's kernel steps, and whatever the monitor did since (an early exit and restart).
  row = syncMonitor(ctx, row.id) ?? row;
  return { row, socket: started.socket };
}

function isBeingRemoved(ctx: RuntimeContext, id: string): boolean {
  const now = ctx.containers.get(id);
  return !now || now.state === 'removing';
}

/**
 * Removes the container's run dir and dir. A start racing the removal may still be writing into them,
 * so a directory that gains an entry while it is emptied is tried again.
 */
function removeLeftovers(ctx: RuntimeContext, id: string): void {
  for (const dir of [ctx.paths.runDir(id), ctx.paths.containerDir(id)]) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
}

/**
 * Records that the container the monitor `monitorPid` ran has stopped for
 * good (idempotent across processes: only the first to notice writes it).
 * Without exit info from a monitor that still runs, nothing ended: its
 * container is restarting. Returns the exit code.
 */
export async function recordExit(
  ctx: RuntimeContext,
  id: string,
  monitorPid: number,
  info: ExitInfo | undefined,
  autoRemove = true,
): Promise<number> {
  const exitCode = info?.exitCode ?? 255;
  const finishedAt = info ? Date.parse(info.finishedAt) * 1e6 || nowNanos() : nowNanos();
  const ended = info !== undefined || !isShimAlive(monitorPid);
  // The restarts the monitor made come first, in order; once it ended, the records of its exit too.
  const row = syncMonitor(ctx, id, ended ? { finishedAt } : undefined);
  if (!row || row.monitorPid !== monitorPid) return row?.exitCode ?? exitCode;
  if (!ended) return row.exitCode;
  // Told in the transaction that records it: whoever records the exit tells it, before anyone's `stop`.
  const moved = ctx.containers.atomically(() => {
    const made = ctx.containers.transition(id, liveStates, {
      state: 'exited',
      exitCode,
      finishedAt,
      pid: 0,
      monitorPid: 0,
      error: info ? info.error ?? '' : 'the container monitor exited without recording an exit status',
    });
    // A restart called off during its back-off: its `die` was told when the process ended.
    if (made && row.state !== 'restarting') {
      if (info?.oomKilled) containerEvent(ctx, row, 'oom');
      containerEvent(ctx, row, 'die', { exitCode: String(exitCode) });
    }
    return made;
  });
  if (!moved) return exitCode;
  await leaveNetworksOf(ctx, id).catch(() => undefined);
  await removeCgroups(cgroupsOf(ctx, id)).catch(() => undefined);
  // --rm takes the container's anonymous volumes with it, as Docker's does.
  if (autoRemove && row.spec.HostConfig.AutoRemove) {
    // `run --rm` removes it too, from its own process: whoever comes second finds it gone.
    await removeContainer(ctx, id, true, true).catch((err: EngineError) => {
      if (err.code !== 'NotFound') throw err;
    });
  }
  return exitCode;
}

/**
 * Waits for the running container to stop and records it. `until`: 'exit'
 * (this run's end), 'next' (also a restart by its policy: docker wait's next
 * exit), 'replaced' (also another start having taken the container since:
 * a remover then kills that run too).
 */
export async function waitExit(
  ctx: RuntimeContext,
  row: ContainerRow,
  timeoutMs: number,
  autoRemove = true,
  until: 'exit' | 'next' | 'replaced' = 'exit',
): Promise<number | undefined> {
  const restarted = () => (syncMonitor(ctx, row.id)?.restartCount ?? 0) > row.restartCount;
  const replaced = () => ctx.containers.get(row.id)?.pid !== row.pid;
  const info = await waitForExitFile(ctx.paths.runDir(row.id), timeoutMs, undefined, until === 'next' ? restarted : until === 'replaced' ? replaced : undefined);
  if (info) return recordExit(ctx, row.id, row.monitorPid, info, autoRemove);
  const now = syncMonitor(ctx, row.id) ?? row;
  if (until === 'next' && now.restartCount > row.restartCount) return now.exitCode;
  if (!isShimAlive(row.monitorPid) && !processRunning(now.pid)) return recordExit(ctx, row.id, row.monitorPid, undefined, autoRemove);
  return undefined;
}

/**
 * Tells the monitor, before a signal, what Docker's kill tells its restart
 * manager (monitor_restart.c reads it): every kill means stopped by hand, and
 * the stop signal or SIGKILL also means no restart after this exit (a monitor
 * waiting out its back-off is woken to hear it).
 */
function holdRestart(ctx: RuntimeContext, row: ContainerRow, signal: number): void {
  const stopSignal = row.spec.Config.StopSignal;
  const final = signal === 9 || !stopSignal || stopSignalOf(row) === signal;
  const runDir = ctx.paths.runDir(row.id);
  try {
    if (final) fs.writeFileSync(path.join(runDir, 'no-restart'), '');
    fs.writeFileSync(path.join(runDir, 'manually-stopped'), '');
  } catch {
    // No run dir: no monitor to tell.
  }
  ctx.containers.transition(row.id, [row.state], { manuallyStopped: true });
  if (final && row.state === 'restarting' && isShimAlive(row.monitorPid)) process.kill(row.monitorPid, 'SIGUSR1');
}

function signalContainer(ctx: RuntimeContext, row: ContainerRow, signal: number, reason: 'stop' | 'stop-timeout' | 'kill' | 'remove'): void {
  if (!isShimAlive(row.monitorPid) && !processRunning(row.pid)) return;
  holdRestart(ctx, row, signal);
  // Told before it is sent: another engine may record the death it causes at once.
  containerEvent(ctx, row, 'kill', { signal: String(signal) });
  // Restarting, there is no process: the monitor hears it instead (as dockerd's restart manager).
  if (row.state !== 'restarting' && row.pid > 0) {
    kernelEvent(ctx, row.id, signalStep(signal, row.pid, reason));
    try {
      process.kill(row.pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  // A frozen process cannot take the signal: thaw it (Docker does the same).
  const cg = cgroupsOf(ctx, row.id);
  if (row.state === 'paused' && cg) thawRecorded(ctx, row.id, cg);
}

async function currentContainer(ctx: RuntimeContext, ref: string): Promise<ContainerRow> {
  const row = findContainer(ctx, ref);
  return (await refreshContainer(ctx, row.id)) ?? row;
}

export async function stopContainer(ctx: RuntimeContext, ref: string, timeout?: number, signal?: string): Promise<void> {
  const row = await currentContainer(ctx, ref);
  assertAllowed('stop', row.state, ref);
  if (!isLive(row.state)) return;
  const sig = signal !== undefined ? parseSignal(signal) : stopSignalOf(row);
  const grace = timeout ?? row.spec.Config.StopTimeout ?? 10;
  signalContainer(ctx, row, sig, 'stop');
  let code = grace < 0 ? await waitExit(ctx, row, 2 ** 31 - 1) : await waitExit(ctx, row, grace * 1000);
  if (code === undefined) {
    signalContainer(ctx, { ...row, state: 'running' }, 9, 'stop-timeout');
    code = await waitExit(ctx, row, 30_000);
    if (code === undefined) throw new EngineError('Internal', `container ${ref} did not exit after SIGKILL`);
  }
  containerEvent(ctx, row, 'stop');
}

/**
 * The signal `stop` sends first: the container's StopSignal, else SIGTERM.
 * An image may carry one this kernel does not know (create checks only the
 * --stop-signal flag). Stop then still stops: with SIGTERM, as Podman does.
 * (dockerd 20.10, measured, sends nothing and kills after the grace period.)
 */
function stopSignalOf(row: ContainerRow): number {
  const wanted = row.spec.Config.StopSignal;
  try {
    return wanted ? parseSignal(wanted) : sigterm;
  } catch {
    return sigterm;
  }
}

export async function killContainer(ctx: RuntimeContext, ref: string, signal?: string): Promise<void> {
  const row = await currentContainer(ctx, ref);
  assertAllowed('kill', row.state, ref);
  const sig = parseSignal(signal ?? 'SIGKILL');
  signalContainer(ctx, row, sig, 'kill');
  if (sig === 9) await waitExit(ctx, row, 30_000);
}

/** Thaws the container, recording the freezer write (none where there is no freezer, nothing having been frozen). */
function thawRecorded(ctx: RuntimeContext, id: string, cg: ContainerCgroups): void {
  const write = thaw(cg);
  if (write) kernelEvent(ctx, id, freezeStep(write, cg.kind));
}

export async function pauseContainer(ctx: RuntimeContext, ref: string): Promise<void> {
  const row = await currentContainer(ctx, ref);
  assertAllowed('pause', row.state, ref);
  const cg = requireCgroups(ctx, row);
  const frozen = await freeze(cg);
  if (!ctx.containers.transition(row.id, ['running'], { state: 'paused' })) {
    thaw(cg);
    throw conflict(`Container ${ref} is not running`);
  }
  kernelEvent(ctx, row.id, freezeStep(frozen, cg.kind));
  containerEvent(ctx, row, 'pause');
}

export async function unpauseContainer(ctx: RuntimeContext, ref: string): Promise<void> {
  const row = findContainer(ctx, ref);
  assertAllowed('unpause', row.state, ref);
  const cg = requireCgroups(ctx, row);
  thawRecorded(ctx, row.id, cg);
  ctx.containers.transition(row.id, ['paused'], { state: 'running' });
  containerEvent(ctx, row, 'unpause');
}

export async function restartContainer(ctx: RuntimeContext, ref: string, timeout?: number, signal?: string): Promise<void> {
  const row = findContainer(ctx, ref);
  await stopContainer(ctx, row.id, timeout, signal);
  await startContainer(ctx, row.id);
  containerEvent(ctx, ctx.containers.get(row.id)!, 'restart');
}

/** Unwires what a container's monitor could not; nothing to load when it never had networks. */
async function leaveNetworksOf(ctx: RuntimeContext, id: string): Promise<void> {
  if (fs.existsSync(ctx.paths.networkDir(id)) || ctx.networks.endpointsOfContainer(id).length > 0) await (await network()).leaveNetworks(ctx, id);
}

/** Removes the container: its writable layer, its run dir, its cgroups, its row; with `volumes`, its anonymous volumes. */
export async function removeContainer(ctx: RuntimeContext, ref: string, force = false, volumes = false): Promise<void> {
  let row = await currentContainer(ctx, ref);
  if (adoptOrphan(ctx, row)) row = ctx.containers.get(row.id)!;
  assertAllowed('remove', row.state, ref, force);
  // Marked for removal only once no process runs: a start that slipped in after the kill (a restart whose
  // stop it ended) then either finds the mark and kills its own process, or is killed here next round.
  for (let round = 0; ; round++) {
    if (isLive(row.state)) {
      signalContainer(ctx, row, 9, 'remove');
      await waitExit(ctx, row, 30_000, false, 'replaced');
    }
    if (ctx.containers.transition(row.id, ['created', 'exited', 'dead', 'removing'], { state: 'removing' })) break;
    const now = ctx.containers.get(row.id);
    if (!now) return; // another remover finished it
    if (round >= 2) throw new EngineError('Internal', `container ${ref} did not exit after SIGKILL`);
    row = now;
  }
  row = ctx.containers.get(row.id) ?? row;
  await leaveNetworksOf(ctx, row.id);
  await removeCgroups(cgroupsOf(ctx, row.id));
  removeLeftovers(ctx, row.id);
  const dir = ctx.paths.containerDir(row.id);
  kernelEvent(ctx, row.id, { step: 'remove', detail: { dir, upperdir: path.join(dir, 'upper'), command: `rm -rf ${shellWord(dir)}` } });
  const v = volumes && row.spec.MountPoints?.some((m) => m.Name) ? await volume() : undefined;
  const anonymous = v ? v.anonymousVolumesOf(ctx, row.id, row.spec.MountPoints ?? []) : [];
  // Two removers at once (an --rm exit noticed by two engines): one says so.
  if (ctx.containers.remove(row.id)) containerEvent(ctx, row, 'destroy');
  for (const name of anonymous) {
    try {
      v!.removeVolume(ctx, name, true);
    } catch {
      // a container made meanwhile uses it: it stays
    }
  }
}

export async function waitContainer(ctx: RuntimeContext, ref: string): Promise<number> {
  const row = await currentContainer(ctx, ref);
  if (!isLive(row.state)) return row.exitCode;
  const code = await waitExit(ctx, row, 2 ** 31 - 1, true, 'next');
  return code ?? ctx.containers.get(row.id)?.exitCode ?? 255;
}

export function renameContainer(ctx: RuntimeContext, ref: string, newName: string): void {
  const row = findContainer(ctx, ref);
  const name = newName.startsWith('/') ? newName.slice(1) : newName;
  validateContainerName(name);
  if (name === row.name) throw conflict(`Renaming a container with the same name as its current name`);
  const holder = ctx.containers.byName(name);
  if (holder) {
    throw new EngineError(
      'AlreadyExists',
      `Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  }
  ctx.containers.rename(row.id, name);
  containerEvent(ctx, { ...row, name }, 'rename', { oldName: `/${row.name}` });
}
