// The service's state file, run/docker-api.json under the engine's run
// root: written by `strata system service` once it listens, removed when it
// stops. Any front end on the same store (the app's settings, another CLI)
// reads it to say whether the service runs, where, and since when.

import fs from 'node:fs';
import path from 'node:path';
import type { DockerApiStatus } from '../api';
import type { EnginePaths } from '../paths';
import { configuredAddress, formatAddress } from './address';

export interface ServiceState {
  pid: number;
  address: string;
  since: number; // unix nanoseconds
  access: string;
}

const stateFile = (paths: EnginePaths) => path.join(paths.runRoot, 'docker-api.json');

export function writeServiceState(paths: EnginePaths, state: ServiceState): void {
  const file = stateFile(paths);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Removes the state file if it is still this process's (a newer service may have replaced it). */
export function removeServiceState(paths: EnginePaths, pid = process.pid): void {
  if (readServiceState(paths)?.pid === pid) fs.rmSync(stateFile(paths), { force: true });
}

export function readServiceState(paths: EnginePaths): ServiceState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(stateFile(paths), 'utf8')) as ServiceState;
    return Number.isSafeInteger(state.pid) && typeof state.address === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is still a `strata system service` (and not a recycled pid): only that may be signalled. */
export function isServiceProcess(pid: number): boolean {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('system');
    return at > 0 && args[at + 1] === 'service' && args.slice(0, at).some((a) => a.includes('strata'));
  } catch {
    return false;
  }
}

/** Whether a service runs on this store (its process is alive), else where one would listen. */
export function serviceStatus(paths: EnginePaths, configRoot?: string): DockerApiStatus {
  const state = readServiceState(paths);
  if (state && isServiceProcess(state.pid)) {
    return { running: true, address: state.address, dockerHost: state.address, pid: state.pid, since: state.since, access: state.access };
  }
  const address = formatAddress(configuredAddress(configRoot));
  return { running: false, address, dockerHost: address };
}
