// `create`: a new writable layer on top of an image's layers, and the
// container's config (the image's config merged with the options, as Docker
// merges them). Nothing runs yet.
//
// Crash safety: the row is written first, then the directories. A crash in
// between leaves a container that `ps -a` shows and `rm -f` removes.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CreateOptions } from '../api';
import { alreadyExists, invalidArgument } from '../errors';
import { checkUpperDirFilesystem } from '../fs/overlay';
import { validateContainerName } from '../image/reference';
import type { ContainerConfigJson } from '../inspect';
import type { ContainerSpecRecord, HostConfig } from '../store/containers';
import { nowNanos } from '../store/events';
import { containerEvent, type RuntimeContext } from './context';
import { parseDeviceMapping } from './devices';
import { randomName } from './names';
import { writeRuntimeSpec } from './prepare';
import { parseSignal } from './signals';

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function createContainer(ctx: RuntimeContext, opts: CreateOptions): { id: string; warnings: string[] } {
  const imageId = ctx.images.resolve(opts.image);
  const image = ctx.images.config(imageId).config ?? {};
  const id = randomBytes(32).toString('hex');
  const name = chooseName(ctx, opts.name);
  const binds = (opts.binds ?? []).map(checkBind);
  const devices = (opts.devices ?? []).map(parseDeviceMapping);
  if (opts.stopSignal) parseSignal(opts.stopSignal);
  if (opts.stopTimeout !== undefined && opts.stopTimeout < -1) throw invalidArgument(`invalid stop timeout: ${opts.stopTimeout}`);

  const hostname = opts.hostname ?? (opts.networkMode === 'host' ? os.hostname() : id.slice(0, 12));
  const entrypoint = opts.entrypoint !== undefined ? opts.entrypoint.filter((a, i) => i > 0 || a !== '') : image.Entrypoint ?? null;
  // Docker drops the image's Cmd when --entrypoint is given without a command.
  const cmd = opts.cmd && opts.cmd.length > 0 ? opts.cmd : opts.entrypoint !== undefined ? null : image.Cmd ?? null;
  if ((entrypoint?.length ?? 0) + (cmd?.length ?? 0) === 0) throw invalidArgument('no command specified');

  const config: ContainerConfigJson = {
    Hostname: hostname,
    Domainname: '',
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
    Volumes: image.Volumes ?? null,
    WorkingDir: opts.workingDir ?? image.WorkingDir ?? '',
    Entrypoint: entrypoint && entrypoint.length > 0 ? entrypoint : null,
    Labels: { ...(image.Labels ?? {}), ...(opts.labels ?? {}) },
    ...(opts.stopSignal ?? image.StopSignal ? { StopSignal: opts.stopSignal ?? image.StopSignal } : {}),
    ...(opts.stopTimeout !== undefined ? { StopTimeout: opts.stopTimeout } : {}),
    ...(image.ExposedPorts ? { ExposedPorts: image.ExposedPorts } : {}),
  };
  if (config.WorkingDir && !config.WorkingDir.startsWith('/')) {
    throw invalidArgument(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  const hostConfig: HostConfig = {
    Binds: binds,
    NetworkMode: opts.networkMode ?? 'none',
    AutoRemove: !!opts.autoRemove,
    Privileged: !!opts.privileged,
    Devices: devices,
  };
  const spec: ContainerSpecRecord = { Config: config, HostConfig: hostConfig };

  fs.mkdirSync(ctx.paths.containers, { recursive: true, mode: 0o710 });
  checkUpperDirFilesystem(ctx.paths.containers);
  ctx.containers.insert({ id, name, imageId, imageRef: opts.image, spec, created: nowNanos() });
  const row = ctx.containers.get(id)!;
  try {
    makeContainerDir(ctx, id, hostname, hostConfig.NetworkMode, binds);
    writeRuntimeSpec(ctx, row, { strict: false });
  } catch (err) {
    fs.rmSync(ctx.paths.containerDir(id), { recursive: true, force: true });
    ctx.containers.remove(id);
    throw err;
  }
  containerEvent(ctx, row, 'create');
  return { id, warnings: [] };
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

/** "SRC:DST[:ro|rw]" with absolute paths; a missing SRC directory is created, as Docker does. */
function checkBind(bind: string): string {
  const parts = bind.split(':');
  const [src, dst, mode] = parts;
  if (parts.length < 2 || parts.length > 3 || !src || !dst) throw invalidArgument(`invalid volume specification: '${bind}'`);
  if (!path.isAbsolute(src)) {
    throw invalidArgument(`invalid volume specification: '${bind}': named volumes are not supported, use an absolute host path`);
  }
  if (!path.isAbsolute(dst)) throw invalidArgument(`invalid volume specification: '${bind}': invalid mount config for type "bind": invalid mount path: '${dst}' mount path must be absolute`);
  if (dst === '/') throw invalidArgument(`invalid volume specification: '${bind}': invalid mount config for type "bind": invalid specification: destination can't be '/'`);
  if (mode !== undefined && !mode.split(',').every((m) => ['ro', 'rw', 'z', 'Z'].includes(m))) {
    throw invalidArgument(`invalid mode: ${mode}`);
  }
  fs.mkdirSync(src, { recursive: true });
  return [path.resolve(src), path.posix.normalize(dst), ...(mode ? [mode] : [])].join(':');
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
function makeInitLayer(init: string, binds: string[]): void {
  for (const d of ['dev', 'proc', 'sys', 'etc']) fs.mkdirSync(path.join(init, d), { recursive: true, mode: 0o755 });
  for (const f of ['hostname', 'hosts', 'resolv.conf']) fs.writeFileSync(path.join(init, 'etc', f), '', { mode: 0o644 });
  for (const b of binds) {
    const [src, dst] = b.split(':');
    const target = path.join(init, dst);
    if (fs.statSync(src).isDirectory()) fs.mkdirSync(target, { recursive: true, mode: 0o755 });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
      fs.writeFileSync(target, '', { mode: 0o644 });
    }
  }
}

function makeContainerDir(ctx: RuntimeContext, id: string, hostname: string, network: HostConfig['NetworkMode'], binds: string[]): void {
  const dir = ctx.paths.containerDir(id);
  fs.mkdirSync(dir, { mode: 0o710 });
  for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d), { mode: 0o755 });
  makeInitLayer(path.join(dir, 'init'), binds);
  fs.writeFileSync(path.join(dir, 'hostname'), `${hostname}\n`);
  fs.writeFileSync(path.join(dir, 'hosts'), network === 'host' ? readHostFile('/etc/hosts') : containerHosts(hostname));
  fs.writeFileSync(path.join(dir, 'resolv.conf'), readHostFile('/etc/resolv.conf'));
  fs.writeFileSync(path.join(dir, 'log.json'), '', { mode: 0o640 });
}

function containerHosts(hostname: string): string {
  return [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    `127.0.1.1\t${hostname}`,
    '',
  ].join('\n');
}

function readHostFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
