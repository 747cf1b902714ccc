// A container's mounts, decided at create as Docker decides them: -v and
// --mount first, then --tmpfs, then what --volumes-from copies, then an
// anonymous volume for each of the image's VOLUMEs nothing else covers. Named
// volumes are created on first use; the launcher gets each one as a bind of
// its _data (or a tmpfs), ordered so a parent is mounted before its children.

import fs from 'node:fs';
import type { CreateOptions } from '../api';
import { invalidArgument } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { findContainer } from '../runtime/context';
import type { MountPoint } from '../store/containers';
import { checkDestination, checkVolumeName, normalize, parseVolumeFlag, tmpfsOptions } from './mountSpec';
import { createVolume, removeVolume, volumeData } from './volumes';

export interface ResolvedMounts {
  mounts: MountPoint[];
  /** Volumes this create made, to remove again if the create fails. */
  created: string[];
}

function volumeMount(ctx: RuntimeContext, name: string, destination: string, ro: boolean, mode: string, noCopy: boolean, made: string[], labels?: Record<string, string>): MountPoint {
  const { volume, created } = createVolume(ctx, name ? { name, labels } : { anonymous: true, labels });
  if (created) made.push(volume.name);
  const bindDevice = volume.options.o?.split(',').includes('bind') ? volume.options.device : undefined;
  if (volume.options.type === 'tmpfs') {
    const size = (volume.options.o ?? '').split(',').filter((o) => o !== '');
    return { Type: 'tmpfs', Name: volume.name, Source: '', Destination: destination, RW: !ro, Mode: mode, CopyData: false, Options: tmpfsOptions(size.join(',')) };
  }
  return {
    Type: 'volume',
    Name: volume.name,
    Source: bindDevice ?? volumeData(ctx, volume.name),
    Destination: destination,
    RW: !ro,
    Mode: mode,
    CopyData: !noCopy && !bindDevice,
    Options: [],
  };
}

function bindMount(source: string, destination: string, ro: boolean, mode: string): MountPoint {
  return { Type: 'bind', Name: '', Source: source, Destination: destination, RW: !ro, Mode: mode, CopyData: false, Options: [] };
}

/** Every mount of the new container; volumes it names are created (and listed, to undo). */
export function resolveMounts(ctx: RuntimeContext, opts: CreateOptions, imageVolumes: string[]): ResolvedMounts {
  const made: string[] = [];
  const mounts = new Map<string, MountPoint>();
  const add = (m: MountPoint) => {
    if (mounts.has(m.Destination)) throw invalidArgument(`Duplicate mount point: ${m.Destination}`);
    mounts.set(m.Destination, m);
  };
  try {
    for (const spec of opts.binds ?? []) {
      const v = parseVolumeFlag(spec);
      if (v.type === 'bind') {
        if (!fs.existsSync(v.source)) fs.mkdirSync(v.source, { recursive: true }); // -v makes a missing host directory, as Docker's does
        add(bindMount(v.source, v.destination, v.readOnly, v.mode));
      } else add(volumeMount(ctx, v.source, v.destination, v.readOnly, v.mode, v.noCopy, made));
    }
    for (const m of opts.mounts ?? []) {
      const destination = checkDestination(m.target, m.type, m.target);
      if (m.type === 'bind') {
        if (!m.source) throw invalidArgument('invalid mount config for type "bind": field Source must not be empty');
        const source = normalize(m.source);
        if (!m.source.startsWith('/')) throw invalidArgument(`invalid mount config for type "bind": invalid mount path: '${m.source}' mount path must be absolute`);
        if (!fs.existsSync(source)) throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${source}`);
        add(bindMount(source, destination, !!m.readOnly, ''));
      } else if (m.type === 'volume') {
        if (m.source) checkVolumeName(m.source);
        add(volumeMount(ctx, m.source ?? '', destination, !!m.readOnly, '', !!m.noCopy, made, m.volumeLabels));
      } else {
        if (m.source) throw invalidArgument('invalid mount config for type "tmpfs": field Source must not be specified');
        const spec = [m.tmpfsSize !== undefined ? `size=${m.tmpfsSize}` : '', m.tmpfsMode !== undefined ? `mode=${m.tmpfsMode.toString(8)}` : '', m.readOnly ? 'ro' : '']
          .filter(Boolean)
          .join(',');
        add({ Type: 'tmpfs', Name: '', Source: '', Destination: destination, RW: !m.readOnly, Mode: '', CopyData: false, Options: tmpfsOptions(spec) });
      }
    }
    for (const [target, spec] of Object.entries(opts.tmpfs ?? {})) {
      const destination = checkDestination(target, 'tmpfs', target);
      const options = tmpfsOptions(spec);
      add({ Type: 'tmpfs', Name: '', Source: '', Destination: destination, RW: !options.includes('ro'), Mode: '', CopyData: false, Options: options });
    }
    for (const from of opts.volumesFrom ?? []) {
      const [ref, mode = ''] = from.split(':');
      if (mode !== '' && mode !== 'ro' && mode !== 'rw') throw invalidArgument(`invalid mode for volumes-from: ${mode}`);
      const other = findContainer(ctx, ref);
      for (const m of other.spec.MountPoints ?? []) {
        if (m.Type === 'tmpfs' || mounts.has(m.Destination)) continue;
        mounts.set(m.Destination, { ...m, RW: mode === '' ? m.RW : mode === 'rw', CopyData: false });
      }
    }
    for (const target of imageVolumes) {
      const destination = normalize(target);
      if (!mounts.has(destination)) mounts.set(destination, volumeMount(ctx, '', destination, false, '', false, made));
    }
  } catch (err) {
    undoVolumes(ctx, made);
    throw err;
  }
  const sorted = [...mounts.values()].sort((a, b) => depth(a.Destination) - depth(b.Destination));
  return { mounts: sorted, created: made };
}

const depth = (p: string) => p.split('/').filter(Boolean).length;

/** Removes volumes a failed create made. */
export function undoVolumes(ctx: RuntimeContext, names: string[]): void {
  for (const name of names) {
    try {
      removeVolume(ctx, name, true);
    } catch {
      // another container took it meanwhile: it stays
    }
  }
}

/** A container's anonymous volumes that no other container uses: `rm -v` and --rm remove them. */
export function anonymousVolumesOf(ctx: RuntimeContext, containerId: string, mounts: readonly MountPoint[]): string[] {
  const names = mounts.filter((m) => m.Name !== '' && ctx.volumes.get(m.Name)?.anonymous).map((m) => m.Name);
  return names.filter((name) =>
    ctx.containers.list(true).every((row) => row.id === containerId || !(row.spec.MountPoints ?? []).some((m) => m.Name === name)),
  );
}
