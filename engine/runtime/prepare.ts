// Everything a start needs on disk before the launcher runs: the overlay's
// mount data (image layers under the writable layer) and config.json.

import fs from 'node:fs';
import path from 'node:path';
import { overlayMountData } from '../fs/overlay';
import type { NetworkJoin } from '../network/attach';
import type { ContainerRow } from '../store/containers';
import type { RuntimeContext } from './context';
import { containerDevices } from './devices';
import { chooseInit } from './init';
import { containerSeccomp, parseSecurityOpts } from './security';
import { containerCapabilities, runtimeSpec, type ResolvedUser } from './spec';
import { specJson } from './ulimits';
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
    devices: containerDevices(host.Devices ?? [], host.Privileged === true, opts.strict),
    capabilities,
    seccomp: containerSeccomp(host, capabilities),
    noNewPrivileges: parseSecurityOpts(host.SecurityOpt ?? []).noNewPrivileges,
    init: host.Init ? chooseInit() : null,
  });
  const tmp = path.join(dir, `.config.json.${process.pid}`);
  fs.writeFileSync(tmp, specJson(spec));
  fs.renameSync(tmp, path.join(dir, 'config.json'));
  return { args: (spec as { process: { args: string[] } }).process.args };
}

/** runc sets HOME from the user's passwd entry when the env has none. */
function withHome(row: ContainerRow, home: string): ContainerRow['spec'] {
  const env = row.spec.Config.Env;
  if (env.some((e) => e.startsWith('HOME='))) return row.spec;
  return { ...row.spec, Config: { ...row.spec.Config, Env: [...env, `HOME=${home}`] } };
}
