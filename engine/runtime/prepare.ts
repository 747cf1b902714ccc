// Everything a start needs on disk before the launcher runs: the overlay's
// mount data (image layers under the writable layer) and config.json.

import fs from 'node:fs';
import path from 'node:path';
import { overlayMountData } from '../fs/overlay';
import type { NetworkJoin } from '../network/attach';
import type { ContainerRow } from '../store/containers';
import type { RuntimeContext } from './context';
import { containerDevices } from './devices';
import { containerCapabilities, runtimeSpec } from './spec';
import { imageUserFiles, resolveUser, type ExecUser } from './user';

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
 * Writes containers/<id>/config.json. At create an unknown USER or a host
 * device that cannot be read is not yet an error (Docker reports them at
 * start): strict=false falls back to root and leaves such a device out.
 */
export function writeRuntimeSpec(ctx: RuntimeContext, row: ContainerRow, opts: { strict: boolean; join?: NetworkJoin }): void {
  const dir = ctx.paths.containerDir(row.id);
  // The init layer is absolute; the image's layers are short links relative to layers/.
  const lowers = [path.join(dir, 'init'), ...ctx.images.layers(row.imageId).shorts];
  const overlayData = overlayMountData({ lowerShorts: lowers, upperDir: path.join(dir, 'upper'), workDir: path.join(dir, 'work') });
  const host = row.spec.HostConfig;
  let user: ExecUser;
  try {
    user = containerUser(ctx, row, row.spec.Config.User);
  } catch (err) {
    if (opts.strict) throw err;
    user = { uid: 0, gid: 0, additionalGids: [], home: '/root' };
  }
  const spec = runtimeSpec({
    record: withHome(row, user.home),
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    containerDir: dir,
    netnsPath: opts.join?.namespacePath,
    nameFilesDir: opts.join?.filesDir ?? dir,
    layersDir: ctx.paths.layers,
    overlayData,
    stdin: row.spec.Config.OpenStdin,
    devices: containerDevices(host.Devices ?? [], host.Privileged === true, opts.strict),
    capabilities: containerCapabilities(host),
  });
  const tmp = path.join(dir, `.config.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(spec, null, 2));
  fs.renameSync(tmp, path.join(dir, 'config.json'));
}

/** runc sets HOME from the user's passwd entry when the env has none. */
function withHome(row: ContainerRow, home: string): ContainerRow['spec'] {
  const env = row.spec.Config.Env;
  if (env.some((e) => e.startsWith('HOME='))) return row.spec;
  return { ...row.spec, Config: { ...row.spec.Config, Env: [...env, `HOME=${home}`] } };
}
