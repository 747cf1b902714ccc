// `create`: a new writable layer on top of an image's layers, and the
// container's config (the image's config merged with the options, as Docker
// merges them). Nothing runs yet.
//
// Crash safety: the row and the directories are made in one write
// transaction, so `system check` (which holds the write lock while it looks)
// never takes a create in progress for debris. A crash in between leaves
// directories without a row (the insert never commits): `system check
// --repair` removes them.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CreateOptions } from '../api';
import { alreadyExists, invalidArgument } from '../errors';
import { checkUpperDirFilesystem } from '../fs/overlay';
import { unionLookup } from '../fs/union';
import { validateContainerName } from '../oci/reference';
import type { ContainerConfigJson } from '../inspect';
import type { ContainerSpecRecord, HostConfig, MountPoint } from '../store/containers';
import { resolveMounts, undoVolumes } from '../volume/mounts';
import { nowNanos } from '../store/events';
import { containerEvent, type RuntimeContext } from './context';
import { mergeHealthcheck } from './healthcheck';
import { hostSettings } from './hostSettings';
import { parseDeviceCgroupRule, parseDeviceMapping } from './devices';
import { hostOptions } from './hostOptions';
import { chooseInit, initPathInContainer } from './init';
import { randomName } from './names';
import { writeNameFiles } from '../network/attach';
import { chooseNetworks } from '../network/configure';
import { writeRuntimeSpec } from './prepare';
import { restartPolicyOf } from './restartPolicy';
import { parseSignal } from './signals';

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function createContainer(ctx: RuntimeContext, opts: CreateOptions): { id: string; warnings: string[] } {
  const imageId = ctx.images.resolve(opts.image);
  const image = ctx.images.config(imageId).config ?? {};
  const id = randomBytes(32).toString('hex');
  const name = chooseName(ctx, opts.name);
  if ((opts.links ?? []).length > 0) refuseLinks(opts.networkMode);
  const devices = (opts.devices ?? []).map(parseDeviceMapping);
  const deviceRules = opts.deviceCgroupRules ?? [];
  deviceRules.forEach(parseDeviceCgroupRule);
  if (opts.stopSignal) parseSignal(opts.stopSignal);
  if (opts.stopTimeout !== undefined && opts.stopTimeout < -1) throw invalidArgument(`invalid stop timeout: ${opts.stopTimeout}`);
  const restartPolicy = restartPolicyOf(opts);
  const healthcheck = mergeHealthcheck(opts.healthcheck, image.Healthcheck);
  const network = chooseNetworks(ctx, opts);
  const exposed = exposedPorts(image.ExposedPorts, opts);

  const settings = hostSettings(ctx, opts);
  const hostname =
    opts.hostname ??
    (network.host.NetworkMode === 'host' || settings.UTSMode === 'host' ? os.hostname() : network.joined ? network.joined.spec.Config.Hostname : id.slice(0, 12));
  const entrypoint = opts.entrypoint !== undefined ? opts.entrypoint.filter((a, i) => i > 0 || a !== '') : image.Entrypoint ?? null;
  // Docker drops the image's Cmd when --entrypoint is given without a command.
  const cmd = opts.cmd && opts.cmd.length > 0 ? opts.cmd : opts.entrypoint !== undefined ? null : image.Cmd ?? null;
  if ((entrypoint?.length ?? 0) + (cmd?.length ?? 0) === 0) throw invalidArgument('no command specified');

  const config: ContainerConfigJson = {
    Hostname: hostname,
    Domainname: opts.domainname ?? '',
    User: opts.user ?? image.User ?? '',
    AttachStdin: !!opts.openStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: !!opts.tty,
    OpenStdin: !!opts.openStdin,
    StdinOnce: !!opts.openStdin,
    Env: mergeEnv(image.Env ?? [], opts.env ?? [], hostname, !!opts.tty),
    Cmd: cmd,
    Image: opts.image,
    Volumes: configVolumes(image.Volumes, opts.binds ?? []),
    WorkingDir: opts.workingDir ?? image.WorkingDir ?? '',
    Entrypoint: entrypoint && entrypoint.length > 0 ? entrypoint : null,
    Labels: { ...(image.Labels ?? {}), ...(opts.labels ?? {}) },
    ...(opts.stopSignal ?? image.StopSignal ? { StopSignal: opts.stopSignal ?? image.StopSignal } : {}),
    ...(opts.stopTimeout !== undefined ? { StopTimeout: opts.stopTimeout } : {}),
    ...(exposed ? { ExposedPorts: exposed } : {}),
    ...(healthcheck ? { Healthcheck: healthcheck } : {}),
    ...(opts.macAddress ? { MacAddress: opts.macAddress } : {}),
  };
  if (config.WorkingDir && !config.WorkingDir.startsWith('/')) {
    throw invalidArgument(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  const limited = hostOptions(opts);
  fs.mkdirSync(ctx.paths.containers, { recursive: true, mode: 0o710 });
  checkUpperDirFilesystem(ctx.paths.containers);
  // Last, since it may create volumes: undone if anything after it fails.
  const { mounts, created } = resolveMounts(ctx, opts, Object.keys(image.Volumes ?? {}));
  const hostConfig: HostConfig = {
    Binds: (opts.binds ?? []).filter((b) => b.includes(':')),
    AutoRemove: !!opts.autoRemove,
    RestartPolicy: restartPolicy,
    Privileged: !!opts.privileged,
    Devices: devices,
    ...(deviceRules.length > 0 ? { DeviceCgroupRules: deviceRules } : {}),
    ...settings,
    ...network.host,
    ...(opts.volumesFrom?.length ? { VolumesFrom: opts.volumesFrom } : {}),
    ...limited.host,
  };
  const spec: ContainerSpecRecord = { Config: config, HostConfig: hostConfig, Networks: network.networks, MountPoints: mounts };
  let row;
  try {
    row = ctx.containers.atomically(() => {
      ctx.containers.insert({ id, name, imageId, imageRef: opts.image, spec, created: nowNanos() });
      const inserted = ctx.containers.get(id)!;
      try {
        makeContainerDir(ctx, id, imageId, hostname, [...mounts, ...initMountPoint(hostConfig)]);
        writeNameFiles(ctx, inserted);
        writeRuntimeSpec(ctx, inserted, { strict: false });
      } catch (err) {
        fs.rmSync(ctx.paths.containerDir(id), { recursive: true, force: true });
        throw err; // and the insert rolls back
      }
      return inserted;
    });
  } catch (err) {
    undoVolumes(ctx, created);
    throw err;
  }
  containerEvent(ctx, row, 'create');
  return { id, warnings: [...network.warnings, ...limited.warnings] };
}

/** --init's binary is bound over /sbin/docker-init: its mount point goes in the init layer, like a bind's. */
function initMountPoint(host: HostConfig): MountPoint[] {
  const init = host.Init ? chooseInit() : 'builtin';
  if (init === 'builtin') return [];
  return [{ Type: 'bind', Name: '', Source: init.path, Destination: initPathInContainer, RW: false, Mode: 'ro', CopyData: false, Options: [] }];
}

/**
 * --link: Docker's legacy links (env vars and /etc/hosts lines for the
 * linked container, on the default bridge) are not Strata's; none, host and
 * another container's network refuse them as dockerd does.
 */
function refuseLinks(network: CreateOptions['networkMode']): never {
  if (network === 'host') throw invalidArgument("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
  if (network === 'none' || network?.startsWith('container:')) throw invalidArgument('links are only supported for user-defined networks');
  throw invalidArgument('legacy links (--link) are not supported by Strata: put the containers on one user-defined network (strata network create) and use their names');
}

function chooseName(ctx: RuntimeContext, wanted: string | undefined): string {
  if (wanted !== undefined) {
    const name = wanted.startsWith('/') ? wanted.slice(1) : wanted;
    validateContainerName(name);
    const holder = ctx.containers.byName(name);
    if (holder) {
      throw alreadyExists(
        `Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    return name;
  }
  for (let attempt = 0; ; attempt++) {
    const name = randomName(attempt);
    if (!ctx.containers.byName(name)) return name;
  }
}

/** The image's VOLUMEs and each `-v /path` (an anonymous volume), as Docker's Config.Volumes. */
function configVolumes(image: Record<string, object> | undefined, binds: string[]): Record<string, object> | null {
  const volumes: Record<string, object> = { ...(image ?? {}) };
  for (const b of binds) if (!b.includes(':')) volumes[b] = {};
  return Object.keys(volumes).length > 0 ? volumes : null;
}

/** Image env, then -e values replacing same-named ones; PATH, HOSTNAME and TERM as Docker adds them. */
function mergeEnv(imageEnv: string[], userEnv: string[], hostname: string, tty: boolean): string[] {
  const merged = new Map<string, string>();
  const key = (kv: string) => kv.split('=', 1)[0];
  merged.set('PATH', defaultPath);
  merged.set('HOSTNAME', `HOSTNAME=${hostname}`);
  if (tty) merged.set('TERM', 'TERM=xterm');
  for (const kv of [...imageEnv, ...userEnv]) {
    if (!kv.includes('=')) continue; // "-e NAME" for an unset NAME is dropped (the CLI expands set ones)
    merged.set(key(kv), kv);
  }
  return [...merged.values()];
}

/**
 * The container's init layer, between the image and the writable layer, as
 * Docker's `<id>-init`: it holds the mount points the launcher binds onto, so
 * they need not be created in the writable layer (where `diff` would show them).
 */
function makeInitLayer(init: string, imageDirs: string[], mounts: readonly MountPoint[]): void {
  for (const d of ['dev', 'proc', 'sys', 'etc']) fs.mkdirSync(path.join(init, d), { recursive: true, mode: 0o755 });
  for (const f of ['hostname', 'hosts', 'resolv.conf']) fs.writeFileSync(path.join(init, 'etc', f), '', { mode: 0o644 });
  for (const m of mounts) makeMountPoint(init, imageDirs, m.Destination, m.Type === 'bind' && !fs.statSync(m.Source).isDirectory());
}

/**
 * A mount point the image lacks, made in the init layer. Directories on the
 * way that the image has are copied with its owner, mode and times, so the
 * container sees them unchanged; a path through an image's symlink is left to
 * the launcher, which resolves it inside the root.
 */
function makeMountPoint(init: string, imageDirs: string[], destination: string, file: boolean): void {
  const parts = destination.split('/').filter(Boolean);
  let rel = '';
  for (const [i, part] of parts.entries()) {
    rel += `/${part}`;
    const last = i === parts.length - 1;
    const hit = unionLookup(imageDirs, rel);
    if (hit && (last || !hit.stats.isDirectory())) return;
    const target = path.join(init, rel);
    if (fs.existsSync(target)) continue;
    if (last && file) fs.writeFileSync(target, '', { mode: 0o644 });
    else fs.mkdirSync(target, { mode: 0o755 });
    if (hit) {
      fs.chownSync(target, hit.stats.uid, hit.stats.gid);
      fs.chmodSync(target, hit.stats.mode & 0o7777);
      fs.utimesSync(target, hit.stats.atime, hit.stats.mtime);
    }
  }
}

function makeContainerDir(ctx: RuntimeContext, id: string, imageId: string, hostname: string, mounts: readonly MountPoint[]): void {
  const dir = ctx.paths.containerDir(id);
  fs.mkdirSync(dir, { mode: 0o710 });
  for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d), { mode: 0o755 });
  makeInitLayer(path.join(dir, 'init'), ctx.images.layers(imageId).dirs, mounts);
  fs.writeFileSync(path.join(dir, 'hostname'), `${hostname}\n`);
  fs.writeFileSync(path.join(dir, 'log.json'), '', { mode: 0o640 });
}

/** The image's exposed ports, --expose's and the published ones (Docker exposes what it publishes). */
function exposedPorts(image: Record<string, object> | undefined, opts: CreateOptions): Record<string, object> | undefined {
  const keys = [...Object.keys(image ?? {}), ...(opts.exposedPorts ?? []), ...Object.keys(opts.portBindings ?? {})];
  if (keys.length === 0) return undefined;
  const out: Record<string, object> = {};
  for (const k of keys) out[k.includes('/') ? k : `${k}/tcp`] = {};
  return out;
}
