// Volumes as the app, `volume ls`, `volume inspect` and `system df` show
// them: each with the containers that mount it and where.

import type { DiskUsageVolume, VolumeSummary } from '../api';
import type { VolumeInspect } from '../inspect';
import type { RuntimeContext } from '../runtime/context';
import type { VolumeRecord } from '../store/volumes';
import { treeSize } from '../image/diskUsage';
import { findVolume, volumeData, volumeUsers } from './volumes';

const rfc3339Seconds = (ns: number) => new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function volumeSummaries(ctx: RuntimeContext, withSize: boolean): VolumeSummary[] {
  return ctx.volumes.list().map((v) => ({
    name: v.name,
    driver: v.driver,
    mountpoint: volumeData(ctx, v.name),
    created: v.created,
    labels: v.labels,
    options: v.options,
    anonymous: v.anonymous,
    size: withSize ? treeSize(volumeData(ctx, v.name)) : -1,
    users: volumeUsers(ctx, v.name).map((u) => ({
      containerId: u.id,
      containerName: u.name,
      destination: u.destination,
      rw: u.rw,
      running: u.state === 'running' || u.state === 'paused',
    })),
  }));
}

export function volumeInspect(ctx: RuntimeContext, v: VolumeRecord): VolumeInspect {
  const none = (o: Record<string, string>) => (Object.keys(o).length > 0 ? o : null);
  return {
    CreatedAt: rfc3339Seconds(v.created),
    Driver: 'local',
    Labels: none(v.labels),
    Mountpoint: volumeData(ctx, v.name),
    Name: v.name,
    Options: none(v.options),
    Scope: 'local',
  };
}

export function inspectVolume(ctx: RuntimeContext, name: string): VolumeInspect {
  return volumeInspect(ctx, findVolume(ctx, name));
}

export function volumesDiskUsage(ctx: RuntimeContext): DiskUsageVolume[] {
  return volumeSummaries(ctx, true).map((v) => ({ name: v.name, size: v.size, links: v.users.length }));
}
