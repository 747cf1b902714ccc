// How a container sits on the host, checked at create with dockerd's rules
// and turned into its runtime spec at start: its namespaces (--ipc, --pid,
// --uts, --userns, --cgroupns: its own, the host's, or another container's),
// --domainname, namespaced --sysctl values, --oom-score-adj, and the log
// driver with its options (json-file, local, none).

import type { CreateOptions } from '../api';
import { fromHumanSize } from '../humanize';
import { conflict, invalidArgument } from '../errors';
import type { LogConfig } from '../store/containers';
import { findContainer, type RuntimeContext } from './context';
import { findRuntime } from './ociRuntimes';

/** The namespace settings and the rest, as HostConfig records them. */
export interface HostSettings {
  IpcMode: string;
  PidMode: string;
  UTSMode: string;
  UsernsMode: string;
  CgroupnsMode: string;
  Sysctls: Record<string, string>;
  OomScoreAdj: number;
  LogConfig: LogConfig;
  Runtime: string;
}

const logOptions: Record<string, string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
  none: [],
};

/** jsonfilelog.New's and local.New's checks, with local's defaults (20m, 5 files, compressed). */
function logConfig(requested: CreateOptions['logConfig']): LogConfig {
  const type = requested?.type || 'json-file';
  const allowed = logOptions[type];
  if (!allowed) throw invalidArgument(`logger: no log driver named '${type}' is registered`);
  const config = { ...(requested?.config ?? {}) };
  for (const key of Object.keys(config)) if (!allowed.includes(key)) throw invalidArgument(`unknown log opt '${key}' for ${type} log driver`);
  if (type === 'local') {
    config['max-size'] ??= '20m';
    config['max-file'] ??= '5';
    config.compress ??= 'true';
  }
  const size = config['max-size'];
  if (size !== undefined) {
    let bytes: number;
    try {
      bytes = fromHumanSize(size);
    } catch (err) {
      throw invalidArgument((err as Error).message);
    }
    if (bytes <= 0) throw invalidArgument('max-size must be a positive number');
  }
  const files = config['max-file'];
  if (files !== undefined) {
    if (!/^[+-]?\d+$/.test(files)) throw invalidArgument(`strconv.Atoi: parsing ${JSON.stringify(files)}: invalid syntax`);
    if (Number(files) < 1) throw invalidArgument('max-file cannot be less than 1');
  }
  const compress = config.compress;
  if (compress !== undefined) {
    if (!['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'F', 'false', 'FALSE', 'False'].includes(compress)) {
      throw invalidArgument(`strconv.ParseBool: parsing ${JSON.stringify(compress)}: invalid syntax`);
    }
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(compress) && (Number(files ?? '1') < 2 || size === undefined)) {
      throw invalidArgument('compress cannot be true when max-file is less than 2 or max-size is not set');
    }
  }
  return { Type: type as LogConfig['Type'], Config: config };
}

/** --runtime: strata's own launcher, or runc or crun when this machine has them. */
export function runtimeName(name: string | undefined): string {
  if (!name || name === 'strata') return 'strata';
  if (!findRuntime(name, '')) throw invalidArgument(`unknown or invalid runtime name: ${name}`);
  return name;
}

/** Another container's namespace ("container:NAME"): the container must exist. */
function joined(ctx: RuntimeContext, mode: string, kind: string): string {
  if (!mode.startsWith('container:')) return mode;
  const target = findContainer(ctx, mode.slice('container:'.length));
  if (target.spec.HostConfig.IpcMode === 'none' && kind === 'ipc') throw conflict(`cannot join IPC of container ${target.id}: it has none`);
  return `container:${target.id}`;
}

export function hostSettings(ctx: RuntimeContext, opts: CreateOptions): HostSettings {
  const ipc = opts.ipcMode || 'private';
  if (!/^(none|private|shareable|host|container:.+)$/.test(ipc)) throw invalidArgument(`invalid IPC mode: ${ipc}`);
  const pid = opts.pidMode ?? '';
  if (!/^(|host|container:.+)$/.test(pid)) throw invalidArgument(`invalid PID mode: ${pid}`);
  const uts = opts.utsMode ?? '';
  if (!/^(|host)$/.test(uts)) throw invalidArgument(`invalid UTS mode: ${uts}`);
  if (uts === 'host' && opts.hostname) throw invalidArgument('Conflicting options: hostname and the UTS mode');
  const userns = opts.usernsMode ?? '';
  if (!/^(|host)$/.test(userns)) throw invalidArgument(`invalid USER mode: ${userns}: Strata runs without user namespace remapping`);
  // Docker's default on a cgroup v1 host (as here): the host's cgroup namespace.
  const cgroupns = opts.cgroupnsMode || 'host';
  if (!/^(host|private)$/.test(cgroupns)) throw invalidArgument(`invalid cgroup namespace mode: ${cgroupns}`);
  const sysctls = opts.sysctls ?? {};
  for (const key of Object.keys(sysctls)) {
    if (key.startsWith('net.') && opts.networkMode === 'host') throw invalidArgument(`sysctl "${key}" not allowed in host network namespace`);
    if (!key.startsWith('net.') && ipc === 'host') throw invalidArgument(`sysctl "${key}" not allowed in host IPC namespace`);
  }
  const oom = opts.oomScoreAdj ?? 0;
  if (oom < -1000 || oom > 1000) throw invalidArgument(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  return {
    IpcMode: joined(ctx, ipc, 'ipc'),
    PidMode: joined(ctx, pid, 'pid'),
    UTSMode: uts,
    UsernsMode: userns,
    CgroupnsMode: cgroupns,
    Sysctls: sysctls,
    OomScoreAdj: oom,
    LogConfig: logConfig(opts.logConfig),
    Runtime: runtimeName(opts.runtime),
  };
}

/**
 * A namespace of another container: the path of its first process's. At
 * start (strict) it must run; at create the spec is written before it may
 * have started, and the path is left out until then.
 */
function namespacePath(ctx: RuntimeContext, mode: string, type: string, strict: boolean): string | undefined {
  const id = mode.slice('container:'.length);
  const target = ctx.containers.get(id);
  if (target && target.state === 'running' && target.pid > 0) return `/proc/${target.pid}/ns/${type}`;
  if (strict) throw conflict(`cannot join ${type} of a non running container: ${id}`);
  return undefined;
}

/** The spec's linux.namespaces for these settings (the network's is the network's: network/). */
export function namespaces(ctx: RuntimeContext, host: Partial<HostSettings>, strict: boolean): Array<{ type: string; path?: string }> {
  const out: Array<{ type: string; path?: string }> = [];
  const add = (type: string, mode: string | undefined) => {
    if (mode === 'host') return;
    const path = mode?.startsWith('container:') ? namespacePath(ctx, mode, type, strict) : undefined;
    out.push(path ? { type, path } : { type });
  };
  add('pid', host.PidMode);
  add('ipc', host.IpcMode);
  add('uts', host.UTSMode);
  out.push({ type: 'mount' });
  if (host.CgroupnsMode === 'private') out.push({ type: 'cgroup' });
  return out;
}
