// Starting and stopping the Docker API service from a front end that has no
// terminal (the app's settings): the service is `strata system service`, a
// process of its own on the same store, so it outlives the app as a
// container's monitor does, and whoever started it, any front end can stop it.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DockerApiStatus } from '../api';
import { unavailable } from '../errors';
import type { EnginePaths } from '../paths';
import { isServiceProcess, readServiceState, serviceStatus as statusOf } from './state';

export interface ServiceContext {
  paths: EnginePaths;
  configRoot?: string;
}

const startTimeoutMs = 15_000;
const stopTimeoutMs = 10_000;

/** bin/strata of this checkout or package: found above this file, compiled or not. */
function strataEntry(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'bin', 'strata');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw unavailable(`cannot find bin/strata above ${__dirname} to start the Docker API service`);
    dir = parent;
  }
}

export function serviceStatus(ctx: ServiceContext): DockerApiStatus {
  return statusOf(ctx.paths, ctx.configRoot);
}

const logFile = (ctx: ServiceContext) => path.join(ctx.paths.runRoot, 'docker-api.log');

function lastLine(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').pop() ?? '';
  } catch {
    return '';
  }
}

export async function startService(ctx: ServiceContext): Promise<DockerApiStatus> {
  const now = serviceStatus(ctx);
  if (now.running) return now;
  const log = fs.openSync(logFile(ctx), 'w', 0o600);
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: ctx.paths.root, STRATA_RUNROOT: ctx.paths.runRoot };
  if (ctx.configRoot) env.STRATA_CONFIG_ROOT = ctx.configRoot;
  // Electron's binary runs Node scripts when asked to.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  const child = spawn(process.execPath, [strataEntry(), 'system', 'service'], { detached: true, stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  child.unref();
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (readServiceState(ctx.paths)?.pid === child.pid) return serviceStatus(ctx);
    if (exited !== null) throw unavailable(`the Docker API service did not start: ${lastLine(logFile(ctx)) || `exit code ${exited}`}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  throw unavailable(`the Docker API service did not start within ${startTimeoutMs / 1000} s (see ${logFile(ctx)})`);
}

export async function stopService(ctx: ServiceContext): Promise<DockerApiStatus> {
  const state = readServiceState(ctx.paths);
  if (!state || !isServiceProcess(state.pid)) return serviceStatus(ctx);
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + stopTimeoutMs;
  while (isServiceProcess(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isServiceProcess(state.pid)) throw unavailable(`the Docker API service (pid ${state.pid}) did not stop within ${stopTimeoutMs / 1000} s`);
  return serviceStatus(ctx);
}
