// Everything a start needs on disk before the launcher runs: the overlay's
// mount data (image layers under the writable layer) and config.json.

import fs from 'node:fs';
import path from 'node:path';
import { overlayMountData } from '../fs/overlay';
import type { NetworkJoin } from '../network/attach';
import type { ContainerRow } from '../store/containers';
import type { RuntimeContext } from './context';
import { containerDevices, parseDeviceCgroupRule, type ContainerDevices } from './devices';
import { namespaces } from './hostSettings';
import { chooseInit, type InitChoice } from './init';
import { logAnnotations } from './logDriver';
import { findRuntime } from './ociRuntimes';
import { invalidArgument, unavailable } from '../errors';
import { containerSeccomp, parseSecurityOpts } from './security';
import { containerCapabilities, runtimeSpec, type ResolvedUser } from './spec';
import { specJson, specRlimits, type SpecRlimit } from './ulimits';
import { imageUserFiles, resolveGroupAdd, resolveUser, type ExecUser } from './user';

/** The container's read-only layers, top first: its init layer, then the image's. */
export function containerLowerDirs(ctx: RuntimeContext, row: ContainerRow): string[] {
  return [path.join(ctx.paths.containerDir(row.id), 'init'), ...ctx.images.layers(row.imageId).dirs];
}

/** Every layer of the container, top first, the writable one included. */
export function containerLayerDirs(ctx: RuntimeContext, row: ContainerRow): string[] {
  return [path.join(ctx.paths.containerDir(row.id), 'upper'), ...containerLowerDirs(ctx, row)];
}

/** Resolves USER against the container's own /etc/passwd and /etc/group. */
export function containerUser(ctx: RuntimeContext, row: ContainerRow, user: string): ExecUser {
  return resolveUser(user, imageUserFiles(containerLayerDirs(ctx, row)));
}

/** runc or crun, found on this machine (at start it must still be there). */
function otherRuntime(name: string | undefined, strict: boolean): { name: string; path: string } | undefined {
  if (!name || name === 'strata') return undefined;
  const found = findRuntime(name, '');
  if (!found) {
    if (strict) throw unavailable(`unknown or invalid runtime name: ${name}`);
    return undefined;
  }
  return { name: found.name, path: found.path };
}

/** --init: the launcher's own init is the launcher's; runc and crun need a static tini to bind in. */
function containerInit(runtime: { name: string } | undefined): InitChoice {
  const init = chooseInit();
  if (init === 'builtin' && runtime) throw invalidArgument(`--init with runtime ${runtime.name} needs a static tini on this machine (or init-path in daemon.json)`);
  return init;
}

/** --device-cgroup-rule: more rules after the defaults (later rules win). */
function withRules(devices: ContainerDevices, rules: readonly string[]): ContainerDevices {
  return { ...devices, rules: [...devices.rules, ...rules.map(parseDeviceCgroupRule)] };
}

/**
 * The process's ids as dockerd sets them: its groups are its primary group,
 * those it is a member of, and --group-add's.
 */
export function processUser(ctx: RuntimeContext, row: ContainerRow, user: ExecUser): ResolvedUser {
  const added = resolveGroupAdd(row.spec.HostConfig.GroupAdd ?? [], imageUserFiles(containerLayerDirs(ctx, row)));
  return { uid: user.uid, gid: user.gid, additionalGids: [user.gid, ...user.additionalGids, ...added] };
}

/**
 * Writes containers/<id>/config.json. At create an unknown USER or a host
 * device that cannot be read is not yet an error (Docker reports them at
 * start): strict=false falls back to root and leaves such a device out.
 */
export function writeRuntimeSpec(ctx: RuntimeContext, row: ContainerRow, opts: { strict: boolean; join?: NetworkJoin }): { args: string[] } {
  const dir = ctx.paths.containerDir(row.id);
  // The init layer is absolute; the image's layers are short links relative to layers/.
  const lowers = [path.join(dir, 'init'), ...ctx.images.layers(row.imageId).shorts];
  const overlayData = overlayMountData({ lowerShorts: lowers, upperDir: path.join(dir, 'upper'), workDir: path.join(dir, 'work') });
  const host = row.spec.HostConfig;
  const runtime = otherRuntime(host.Runtime, opts.strict);
  let user: ExecUser;
  let ids: ResolvedUser;
  try {
    user = containerUser(ctx, row, row.spec.Config.User);
    ids = processUser(ctx, row, user);
  } catch (err) {
    if (opts.strict) throw err;
    user = { uid: 0, gid: 0, additionalGids: [], home: '/root' };
    ids = { uid: 0, gid: 0, additionalGids: [0] };
  }
  const capabilities = containerCapabilities(host);
  const spec = runtimeSpec({
    record: withHome(row, user.home),
    user: ids,
    containerDir: dir,
    netnsPath: opts.join?.namespacePath,
    nameFilesDir: opts.join?.filesDir ?? dir,
    layersDir: ctx.paths.layers,
    overlayData,
    stdin: row.spec.Config.OpenStdin,
    devices: withRules(containerDevices(host.Devices ?? [], host.Privileged === true, opts.strict), host.DeviceCgroupRules ?? []),
    capabilities,
    seccomp: containerSeccomp(host, capabilities),
    noNewPrivileges: parseSecurityOpts(host.SecurityOpt ?? []).noNewPrivileges,
    init: host.Init ? containerInit(runtime) : null,
    namespaces: namespaces(ctx, host, opts.strict),
    logAnnotations: logAnnotations(row),
    ...(runtime ? { runtime } : {}),
    cgroupsPath: `strata/${row.id}`,
  });
  const tmp = path.join(dir, `.config.json.${process.pid}`);
  fs.writeFileSync(tmp, specJson(spec));
  fs.renameSync(tmp, path.join(dir, 'config.json'));
  return { args: (spec as { process: { args: string[] } }).process.args };
}

/** What an exec runs, as an OCI `process` (the file `strata-shim exec --process` reads). */
export interface ExecProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[] };
  rlimits: SpecRlimit[];
  noNewPrivileges: boolean;
}

/**
 * One more process in the container, as Docker's exec makes it: the
 * container's env with `env` over it, its user (capabilities only for root)
 * and working dir unless given; `privileged` gives it every capability.
 * Health checks run the same way.
 */
export function execProcess(
  ctx: RuntimeContext,
  row: ContainerRow,
  opts: { cmd: string[]; env?: string[]; user?: string; workingDir?: string; tty?: boolean; privileged?: boolean },
): ExecProcess {
  const c = row.spec.Config;
  const user = containerUser(ctx, row, opts.user ?? c.User);
  const bounding = containerCapabilities(opts.privileged ? { ...row.spec.HostConfig, Privileged: true } : row.spec.HostConfig);
  const caps = user.uid === 0 ? bounding : [];
  const env = new Map(c.Env.map((kv) => [kv.split('=', 1)[0], kv] as const));
  for (const kv of opts.env ?? []) if (kv.includes('=')) env.set(kv.split('=', 1)[0], kv);
  if (!env.has('HOME')) env.set('HOME', `HOME=${user.home}`);
  if (opts.tty && !env.has('TERM')) env.set('TERM', 'TERM=xterm');
  return {
    terminal: !!opts.tty,
    user: processUser(ctx, row, user),
    args: opts.cmd,
    env: [...env.values()],
    cwd: opts.workingDir || c.WorkingDir || '/',
    capabilities: { bounding, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    // As Docker's exec, the container's own limits and no_new_privs; the seccomp filter comes from its bundle.
    rlimits: specRlimits(row.spec.HostConfig.Ulimits),
    noNewPrivileges: parseSecurityOpts(row.spec.HostConfig.SecurityOpt ?? []).noNewPrivileges,
  };
}

/** runc sets HOME from the user's passwd entry when the env has none. */
function withHome(row: ContainerRow, home: string): ContainerRow['spec'] {
  const env = row.spec.Config.Env;
  if (env.some((e) => e.startsWith('HOME='))) return row.spec;
  return { ...row.spec, Config: { ...row.spec.Config, Env: [...env, `HOME=${home}`] } };
}
