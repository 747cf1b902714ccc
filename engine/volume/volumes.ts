// Named and anonymous volumes, Docker's local driver: a directory
// volumes/<name>/_data under the engine root that containers bind-mount, so
// what is written there outlives every container and is in no layer. A row
// is written before its directory and removed after it, so a crash leaves at
// worst a row whose directory `volume rm` still removes.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { alreadyExists, conflict, invalidArgument, notFound } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { nowNanos } from '../store/events';
import type { VolumeRecord } from '../store/volumes';
import { treeSize } from '../image/diskUsage';
import { checkVolumeName } from './mountSpec';

/** The local driver's options: a tmpfs or a bind (mounted by the launcher wherever the volume is). */
const localOptions = new Set(['type', 'device', 'o']);

export function volumeEvent(ctx: RuntimeContext, name: string, action: string, extra: Record<string, string> = {}): void {
  ctx.events.record({ type: 'volume', action, id: name, time: nowNanos(), attributes: { driver: 'local', ...extra } });
}

export function volumeData(ctx: RuntimeContext, name: string): string {
  return path.join(ctx.paths.volumeDir(name), '_data');
}

export interface VolumeCreateOptions {
  name?: string;
  driver?: string;
  labels?: Record<string, string>;
  options?: Record<string, string>;
  anonymous?: boolean;
}

function checkOptions(options: Record<string, string>): void {
  for (const key of Object.keys(options)) if (!localOptions.has(key)) throw invalidArgument(`invalid option key: ${JSON.stringify(key)}`);
  const type = options.type;
  if (type === undefined && Object.keys(options).length === 0) return;
  const bind = (options.o ?? '').split(',').includes('bind');
  if (type === 'tmpfs' || (type === 'none' && bind)) return;
  throw invalidArgument('the local driver here takes type=tmpfs [o=size=...], or type=none o=bind device=/host/path');
}

/** Creates the volume, or returns the one of that name (as `docker volume create` does). */
export function createVolume(ctx: RuntimeContext, opts: VolumeCreateOptions = {}): { volume: VolumeRecord; created: boolean } {
  if ((opts.driver ?? 'local') !== 'local') throw notFound(`error looking up volume plugin ${opts.driver}: plugin "${opts.driver}" not found`);
  const name = opts.name ? checkVolumeName(opts.name) : randomBytes(32).toString('hex');
  const options = opts.options ?? {};
  checkOptions(options);
  if (options.o?.split(',').includes('bind') && !path.isAbsolute(options.device ?? '')) throw invalidArgument('o=bind needs an absolute device=/host/path');
  const record: VolumeRecord = { name, driver: 'local', labels: opts.labels ?? {}, options, anonymous: !!opts.anonymous, created: nowNanos() };
  const created = ctx.volumes.insert(record);
  const volume = ctx.volumes.get(name)!;
  if (!created && opts.name && (Object.keys(options).length > 0 || Object.keys(opts.labels ?? {}).length > 0)) {
    const same = JSON.stringify(volume.options) === JSON.stringify(options) && JSON.stringify(volume.labels) === JSON.stringify(opts.labels ?? {});
    if (!same) throw alreadyExists(`volume name ${name} already exists with other options or labels`);
  }
  fs.mkdirSync(volumeData(ctx, name), { recursive: true, mode: 0o755 });
  if (created) volumeEvent(ctx, name, 'create');
  return { volume, created };
}

export function findVolume(ctx: RuntimeContext, name: string): VolumeRecord {
  const v = ctx.volumes.get(name);
  if (!v) throw notFound(`get ${name}: no such volume`);
  return v;
}

/** Containers (any state) whose mounts name the volume. */
export function volumeUsers(ctx: RuntimeContext, name: string): { id: string; name: string; destination: string; rw: boolean; state: string }[] {
  const users: { id: string; name: string; destination: string; rw: boolean; state: string }[] = [];
  for (const row of ctx.containers.list(true)) {
    for (const m of row.spec.MountPoints ?? []) {
      if (m.Type === 'volume' && m.Name === name) users.push({ id: row.id, name: row.name, destination: m.Destination, rw: m.RW, state: row.state });
    }
  }
  return users;
}

export function removeVolume(ctx: RuntimeContext, name: string, force = false): void {
  const v = ctx.volumes.get(name);
  if (!v) {
    if (force) return;
    throw notFound(`get ${name}: no such volume`);
  }
  const users = volumeUsers(ctx, name);
  if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${[...new Set(users.map((u) => u.id))].join(', ')}]`);
  fs.rmSync(ctx.paths.volumeDir(name), { recursive: true, force: true });
  ctx.volumes.remove(name);
  volumeEvent(ctx, name, 'destroy');
}

/** Removes volumes no container uses: anonymous ones, or with `all` named ones too (Docker 23+). */
export function pruneVolumes(ctx: RuntimeContext, all: boolean, wanted: (v: VolumeRecord) => boolean = () => true): { deleted: string[]; spaceReclaimed: number } {
  const deleted: string[] = [];
  let spaceReclaimed = 0;
  for (const v of ctx.volumes.list()) {
    if ((!all && !v.anonymous) || !wanted(v)) continue;
    if (volumeUsers(ctx, v.name).length > 0) continue;
    const size = treeSize(volumeData(ctx, v.name));
    try {
      removeVolume(ctx, v.name);
    } catch {
      continue; // taken meanwhile
    }
    deleted.push(v.name);
    spaceReclaimed += size;
  }
  return { deleted, spaceReclaimed };
}
