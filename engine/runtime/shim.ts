// Driving strata-shim (engine/native/shim): start a container under its own
// monitor, exec one more process in it, and read what the monitor leaves in
// the container's run dir (monitor.pid, init.pid, exit.json, kernel.jsonl).

import fs from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import { EngineError } from '../errors';
import { procStat } from '../store/liveness';
import { shimPath } from '../native';

export interface ShimReady {
  pid: number;
  monitor: number;
}

export interface ExitInfo {
  exitCode: number;
  signal: number;
  /** The kernel's OOM killer killed one of its processes while it ran. */
  oomKilled?: boolean;
  finishedAt: string;
  /** Why a restart the policy asked for did not start. */
  error?: string;
}

interface ShimResult {
  ready: ShimReady;
  /** The attach socket from the first byte, when asked for. */
  socket?: HeldSocket;
}

/**
 * The shim's end of the attach socket, holding what arrives until a reader
 * takes it: Node resumes (and so drops the data of) unread stdio streams
 * when a child exits, and a short-lived exec can exit before its reader is set.
 */
export class HeldSocket {
  private held: Buffer[] = [];
  private reader?: (chunk: Buffer) => void;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.reader ? this.reader(chunk) : this.held.push(chunk)));
  }

  read(reader: (chunk: Buffer) => void): void {
    this.reader = reader;
    for (const chunk of this.held.splice(0)) reader(chunk);
  }
}

/** Starts the container described by bundle/config.json; resolves when its process is about to exec. */
export function shimStart(opts: {
  bundle: string;
  runDir: string;
  cgroups: string[];
  /** Absent: the none log driver. */
  logFile?: string;
  attach: boolean;
  /** The network dir (run/<id>/network) when the monitor has networks to set up. */
  network?: string;
  /** The monitor's restart policy and health check options (restartPolicy.ts, healthcheck.ts). */
  policy?: string[];
}): Promise<ShimResult> {
  const argv = ['start', '--bundle', opts.bundle, '--run', opts.runDir, ...(opts.logFile ? ['--log', opts.logFile] : []), ...(opts.policy ?? [])];
  if (opts.network) argv.push('--network', opts.network);
  for (const c of opts.cgroups) argv.push('--cgroup', c);
  if (opts.attach) argv.push('--attach-fd', '3');
  return runShim(argv, opts.attach);
}

/**
 * Runs one more process (described by processFile, an OCI `process`) in the
 * container whose init is `pid`, under the seccomp filter of its bundle's config.json.
 */
export function shimExec(opts: {
  pid: number;
  bundle: string;
  processFile: string;
  cgroups: string[];
  attach: boolean;
  stdin: boolean;
}): Promise<ShimResult> {
  const argv = ['exec', '--pid', String(opts.pid), '--bundle', opts.bundle, '--process', opts.processFile];
  for (const c of opts.cgroups) argv.push('--cgroup', c);
  argv.push(...(opts.attach ? ['--attach-fd', '3'] : ['--detach']));
  if (opts.stdin) argv.push('--stdin');
  return runShim(argv, opts.attach);
}

function runShim(argv: string[], attach: boolean): Promise<ShimResult> {
  return new Promise((resolve, reject) => {
    // node:child_process loads when a container starts, not when the engine opens.
    const child = process.getBuiltinModule('node:child_process').spawn(shimPath(), argv, { stdio: ['ignore', 'pipe', 'pipe', attach ? 'pipe' : 'ignore'] });
    const socket = attach ? new HeldSocket(child.stdio[3] as Socket) : undefined;
    let out = '';
    let err = '';
    let settled = false;
    // The report is the first line on stdout. Do not wait for 'close': with
    // attach, fd 3 stays open in the monitor for as long as the container runs.
    const settle = (final: boolean) => {
      if (settled) return;
      const nl = out.indexOf('\n');
      if (nl < 0 && !final) return;
      settled = true;
      let report: { ok: boolean; pid?: number; monitor?: number; code?: number; error?: string } | undefined;
      try {
        report = JSON.parse(nl < 0 ? out : out.slice(0, nl));
      } catch {
        report = undefined;
      }
      if (report?.ok) {
        resolve({ ready: { pid: report.pid!, monitor: report.monitor ?? 0 }, socket });
        return;
      }
      socket?.socket.destroy();
      const message = report?.error ?? (err.trim().split('\n').pop() || 'strata-shim failed');
      reject(new EngineError(kindForCode(report?.code), message));
    };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      settle(false);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      if (!settled) {
        settled = true;
        reject(new EngineError('Internal', `strata-shim: ${e.message}`));
      }
    });
    child.stdout!.on('end', () => settle(true));
  });
}

function kindForCode(code: number | undefined): EngineError['code'] {
  if (code === 127) return 'CommandNotFound';
  if (code === 126) return 'CannotExecute';
  return 'Internal';
}

export function readExitFile(runDir: string): ExitInfo | undefined {
  const file = path.join(runDir, 'exit.json');
  // Asked of every running container by every `ps`: most have none, and a throw costs more than a stat.
  if (!fs.statSync(file, { throwIfNoEntry: false })) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ExitInfo;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` runs. A zombie does not: a container's process whose monitor
 * was killed is left to whatever adopted it, which may never reap it.
 */
export function processRunning(pid: number): boolean {
  const stat = pid > 0 ? procStat(pid) : undefined;
  return stat !== undefined && stat[0] !== 'Z';
}

/** Whether `pid` is still a strata-shim (and not a recycled pid). */
export function isShimAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('strata-shim');
  } catch {
    return false;
  }
}

/** Waits up to `timeoutMs` for the monitor `pid` to go; false when it still runs. */
export async function waitShimGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; isShimAlive(pid); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() >= deadline) return false;
  }
  return true;
}

/**
 * Resolves with the exit info once the monitor writes it, or undefined after
 * `timeoutMs`, when `signal` aborts, or when `onRecord` (asked whenever the
 * monitor appends to kernel.jsonl) says what the caller waits for happened.
 */
export function waitForExitFile(
  runDir: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onRecord?: () => boolean,
): Promise<ExitInfo | undefined> {
  return new Promise((resolve, reject) => {
    let done = false;
    const end = () => {
      if (done) return false;
      done = true;
      watcher?.close();
      clearInterval(poll);
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const finish = (v: ExitInfo | undefined) => end() && resolve(v);
    const onAbort = () => finish(undefined);
    // Called from a watcher or a timer: what `onRecord` throws (the engine closed meanwhile) ends the wait with it.
    const check = () => {
      try {
        const info = readExitFile(runDir);
        if (info) finish(info);
        else if (onRecord?.()) finish(undefined);
      } catch (err) {
        if (end()) reject(err);
      }
    };
    let watcher: fs.FSWatcher | undefined;
    try {
      watcher = fs.watch(runDir, { persistent: false }, (_e, name) => (name === 'exit.json' || (onRecord && name === 'kernel.jsonl')) && check());
    } catch {
      watcher = undefined;
    }
    // The watch is the fast path; the poll covers a monitor that died without
    // writing, and a run dir that was not there to watch.
    const poll = setInterval(check, watcher ? 500 : 100);
    const timer = setTimeout(() => finish(undefined), Math.min(Math.max(0, timeoutMs), 2 ** 31 - 1));
    signal?.addEventListener('abort', onAbort);
    check();
  });
}
