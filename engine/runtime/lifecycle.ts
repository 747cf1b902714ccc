// The container lifecycle: start, stop, kill, pause, unpause, restart, remove,
// wait, rename — each checked against Docker's rules (states.ts), each state
// change recorded as an event. The truth about a running container is the
// monitor's run dir; the database is brought back in line with it whenever
// the engine opens (reconcile.ts) or notices an exit.

import fs from 'node:fs';

import { conflict, EngineError } from '../errors';
import { validateContainerName } from '../oci/reference';
import type { ContainerRow } from '../store/containers';
import { nowNanos } from '../store/events';
import path from 'node:path';
import { createCgroups, freeze, loadCgroups, removeCgroups, saveCgroups, thaw, type CgroupFileWrite, type ContainerCgroups } from './cgroups';
import { containerEvent, findContainer, kernelEvent, type RuntimeContext } from './context';
import { freezeStep, launcherSteps, shellWord, signalStep, type KernelRecord } from './kernelSteps';
import { parseSecurityOpts } from './security';
import { lazy } from '../lazy';
import { logFileOf } from './logDriver';
import { resourcesOf } from './resources/limits';
import { isShimAlive, processRunning, readExitFile, readKernelSteps, shimStart, waitForExitFile, type ExitInfo, type HeldSocket } from './shim';
import { adoptOrphan } from './reconcile';
import { parseSignal } from './signals';
import { assertAllowed } from './states';

const live = ['running', 'paused', 'restarting'] as const;
const sigterm = 15;

// Networks and volumes load when a command needs them: `stop` and the like do not.
const network = lazy(() => import('../network/attach'));
// The spec's writer (security, seccomp, limits) and the cgroup writer load only when a container starts: `ps` needs neither.
const launch = lazy(async () => ({ ...(await import('./prepare')), ...(await import('./resources/apply')) }));
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
  if (row.state === 'running') return { row };
  const runDir = ctx.paths.runDir(row.id);
  // What a monitor that died may have left wired must go before its run dir does.
  const { joinNetworks, leaveNetworks } = await network();
  const { seedVolumes } = await volume();
  const { writeRuntimeSpec, applyResources } = await launch();
  await leaveNetworks(ctx, row.id);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const logFile = logFileOf(ctx, row);
  if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o710 });
  const join = joinNetworks(ctx, row);
  let cgroups: ContainerCgroups | undefined;
  let started;
  let args: string[];
  let limits: CgroupFileWrite[];
  try {
    seedVolumes(ctx, row);
    ({ args } = writeRuntimeSpec(ctx, row, { strict: true, join }));
    cgroups = createCgroups(row.id);
    saveCgroups(cgroupsFile(ctx, row.id), cgroups);
    // The limits are in place before the container's first process joins its cgroups.
    limits = applyResources(cgroups, resourcesOf(row.spec.HostConfig));
    started = await shimStart({
      bundle: ctx.paths.containerDir(row.id),
      runDir,
      cgroups: cgroups.dirs,
      logFile,
      attach,
      network: join.dir,
    });
  } catch (err) {
    await leaveNetworks(ctx, row.id).catch(() => undefined);
    if (cgroups) await removeCgroups(cgroups).catch(() => undefined);
    const e = err as EngineError;
    const code = e.code === 'CommandNotFound' ? 127 : e.code === 'CannotExecute' ? 126 : 128;
    // As Docker: a container whose process could not start stays as it was, with the error recorded.
    ctx.containers.transition(row.id, ['created', 'exited'], { exitCode: code, error: e.message });
    throw err;
  }
  const now = nowNanos();
  const moved = ctx.containers.transition(row.id, ['created', 'exited'], {
    state: 'running',
    pid: started.ready.pid,
    monitorPid: started.ready.monitor,
    exitCode: 0,
    error: '',
    startedAt: now,
    finishedAt: 0,
  });
  const adopted = !moved && ctx.containers.get(row.id)?.pid === started.ready.pid;
  if (!moved && !adopted) {
    // Someone else started or removed it meanwhile: do not leave a second process running.
    process.kill(started.ready.pid, 'SIGKILL');
    throw conflict(`container ${ref} changed state while starting`);
  }
  row = ctx.containers.get(row.id)!;
  const seccomp = parseSecurityOpts(row.spec.HostConfig.SecurityOpt ?? []).seccomp;
  const steps = launcherSteps(startRecords(readKernelSteps(runDir)), { limits, args, seccompProfile: seccomp === 'default' ? 'default' : 'custom' });
  for (const s of steps) kernelEvent(ctx, row.id, s, now);
  if (attach) containerEvent(ctx, row, 'attach');
  containerEvent(ctx, row, 'start');
  return { row, socket: started.socket };
}

/**
 * Records that a container's process ended (idempotent across processes:
 * only the first to notice writes it). Returns the exit code.
 */
export async function recordExit(
  ctx: RuntimeContext,
  id: string,
  pid: number,
  info: ExitInfo | undefined,
  autoRemove = true,
): Promise<number> {
  const exitCode = info?.exitCode ?? 255;
  const finishedAt = info ? Date.parse(info.finishedAt) * 1e6 || nowNanos() : nowNanos();
  const row = ctx.containers.get(id);
  if (!row || row.pid !== pid) return row?.exitCode ?? exitCode;
  const moved = ctx.containers.transition(id, live, {
    state: 'exited',
    exitCode,
    finishedAt,
    pid: 0,
    monitorPid: 0,
    error: info ? '' : 'the container monitor exited without recording an exit status',
  });
  if (!moved) return exitCode;
  for (const s of exitRecords(readKernelSteps(ctx.paths.runDir(id)))) kernelEvent(ctx, id, s, finishedAt);
  await leaveNetworksOf(ctx, id).catch(() => undefined);
  await removeCgroups(cgroupsOf(ctx, id)).catch(() => undefined);
  if (info?.oomKilled) containerEvent(ctx, row, 'oom');
  containerEvent(ctx, row, 'die', { exitCode: String(exitCode) });
  // --rm takes the container's anonymous volumes with it, as Docker's does.
  if (autoRemove && row.spec.HostConfig.AutoRemove) await removeContainer(ctx, id, true, true);
  return exitCode;
}

/** Waits for the running container's process to end and records it. */
export async function waitExit(ctx: RuntimeContext, row: ContainerRow, timeoutMs: number, autoRemove = true): Promise<number | undefined> {
  const info = await waitForExitFile(ctx.paths.runDir(row.id), timeoutMs);
  if (info) return recordExit(ctx, row.id, row.pid, info, autoRemove);
  if (!isShimAlive(row.monitorPid) && !processRunning(row.pid)) return recordExit(ctx, row.id, row.pid, undefined, autoRemove);
  return undefined;
}

/**
 * The launcher's records of a start run up to its `exec` (the last before
 * the process runs); what the monitor records later (its exit, the network's
 * teardown) belongs to the exit. A fast process may have ended before the
 * start reads the file: the split keeps each record to one of the two.
 */
const execAt = (records: KernelRecord[]) => {
  const at = records.findIndex((r) => r.step === 'exec');
  return at < 0 ? records.length : at + 1;
};
const startRecords = (records: KernelRecord[]) => records.slice(0, execAt(records));
const exitRecords = (records: KernelRecord[]) => records.slice(execAt(records));

function signalContainer(ctx: RuntimeContext, row: ContainerRow, signal: number, reason: 'stop' | 'stop-timeout' | 'kill' | 'remove'): void {
  if (!isShimAlive(row.monitorPid) && !processRunning(row.pid)) return;
  try {
    process.kill(row.pid, signal);
    kernelEvent(ctx, row.id, signalStep(signal, row.pid, reason));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  containerEvent(ctx, row, 'kill', { signal: String(signal) });
  // A frozen process cannot take the signal: thaw it (Docker does the same).
  const cg = cgroupsOf(ctx, row.id);
  if (row.state === 'paused' && cg) thawRecorded(ctx, row.id, cg);
}

export async function stopContainer(ctx: RuntimeContext, ref: string, timeout?: number, signal?: string): Promise<void> {
  const row = findContainer(ctx, ref);
  assertAllowed('stop', row.state, ref);
  if (!live.includes(row.state as (typeof live)[number])) return;
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
  const row = findContainer(ctx, ref);
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
  const row = findContainer(ctx, ref);
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
  let row = findContainer(ctx, ref);
  if (adoptOrphan(ctx, row)) row = ctx.containers.get(row.id)!;
  assertAllowed('remove', row.state, ref, force);
  if (live.includes(row.state as (typeof live)[number])) {
    signalContainer(ctx, row, 9, 'remove');
    await waitExit(ctx, row, 30_000, false);
    row = ctx.containers.get(row.id) ?? row;
  }
  ctx.containers.transition(row.id, ['created', 'exited', 'dead', 'removing', ...live], { state: 'removing' });
  await leaveNetworksOf(ctx, row.id);
  fs.rmSync(ctx.paths.runDir(row.id), { recursive: true, force: true });
  await removeCgroups(cgroupsOf(ctx, row.id));
  const dir = ctx.paths.containerDir(row.id);
  fs.rmSync(dir, { recursive: true, force: true });
  kernelEvent(ctx, row.id, { step: 'remove', detail: { dir, upperdir: path.join(dir, 'upper'), command: `rm -rf ${shellWord(dir)}` } });
  const v = volumes && row.spec.MountPoints?.some((m) => m.Name) ? await volume() : undefined;
  const anonymous = v ? v.anonymousVolumesOf(ctx, row.id, row.spec.MountPoints ?? []) : [];
  ctx.containers.remove(row.id);
  containerEvent(ctx, row, 'destroy');
  for (const name of anonymous) {
    try {
      v!.removeVolume(ctx, name, true);
    } catch {
      // a container made meanwhile uses it: it stays
    }
  }
}

export async function waitContainer(ctx: RuntimeContext, ref: string): Promise<number> {
  const row = findContainer(ctx, ref);
  if (!live.includes(row.state as (typeof live)[number])) return row.exitCode;
  const code = await waitExit(ctx, row, 2 ** 31 - 1);
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
