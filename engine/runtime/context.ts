// What the runtime's parts share: the paths, the container rows, the event
// log, and the read-only view of images it needs. Plus the one way to find a
// container from what a user typed (a name, a full id or a short prefix).

import type { EnginePaths } from '../paths';
import type { ContainerRow, ContainerStore } from '../store/containers';
import type { NetworkStore } from '../store/networks';
import type { VolumeStore } from '../store/volumes';
import { nowNanos, type EventLog } from '../store/events';
import { invalidArgument, notFound } from '../errors';
import type { OciImageConfig } from '../oci/config';

/** What the runtime needs to know about images. */
export interface ImageAccess {
  /** The image id for a reference or id prefix (throws NotFound "No such image: x"). */
  resolve(ref: string): string;
  config(id: string): OciImageConfig;
  /** Images whose local parent is `id`. */
  children(id: string): string[];
  /** Bytes of all the image's layers, unpacked. */
  size(id: string): number;
  /** The image's layer dirs, top first: short links relative to layersDir, and absolute diff dirs. */
  layers(id: string): { shorts: string[]; dirs: string[] };
}

export interface RuntimeContext {
  paths: EnginePaths;
  containers: ContainerStore;
  events: EventLog;
  images: ImageAccess;
  networks: NetworkStore;
  volumes: VolumeStore;
  /** Where Strata's settings file is (engine/config.ts); undefined: $STRATA_CONFIG_ROOT or /etc. */
  configRoot?: string;
}

/** Finds a container by full id, exact name, or unique id prefix, as Docker does. */
export function findContainer(ctx: RuntimeContext, ref: string): ContainerRow {
  if (!ref) throw invalidArgument('container name or ID cannot be empty');
  const name = ref.startsWith('/') ? ref.slice(1) : ref;
  const byName = ctx.containers.byName(name);
  if (/^[0-9a-f]{64}$/.test(ref)) {
    const full = ctx.containers.get(ref);
    if (full) return full;
  }
  if (byName) return byName;
  if (/^[0-9a-f]+$/.test(ref)) {
    const matches = ctx.containers.byPrefix(ref);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${ref}`);
  }
  throw notFound(`No such container: ${ref}`);
}

export function containerEvent(ctx: RuntimeContext, row: ContainerRow, action: string, extra: Record<string, string> = {}, time = nowNanos()): void {
  ctx.events.record({
    type: 'container',
    action,
    id: row.id,
    time,
    attributes: { image: row.imageRef, name: row.name, ...row.spec.Config.Labels, ...extra },
  });
}

/** Records what the engine or its launcher did to the kernel for a container (see KernelStep in api.ts). */
export function kernelEvent(ctx: RuntimeContext, id: string, record: { step: string; detail: Record<string, string> }, time = nowNanos()): void {
  ctx.events.record({ type: 'kernel', step: record.step, id, time, detail: record.detail });
}
