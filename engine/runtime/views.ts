// Read-only views of containers: the ps summary with Docker's status words,
// inspect in Docker's shape, the writable layer's changes, and top.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isLive, type ChangeEntry, type ProcessTable } from '../api';
import { conflict, invalidArgument } from '../errors';
import { listChanges } from '../fs/changes';
import type { ContainerInspect } from '../inspect';
import { cgroupPids } from './cgroups';
import { cgroupsOf } from './lifecycle';
import { refreshContainer } from './reconcile';
import { findContainer, type RuntimeContext } from './context';
import { readHealth } from './monitorRecords';
import { containerNetworkSettings } from '../network/views';
import { mountPointsOf, type ContainerRow } from '../store/containers';
import { containerSizes } from './list';
import { logConfigOf, logFileOf } from './logDriver';
import { containerLowerDirs } from './prepare';
import { resourcesOf } from './resources/limits';
import { readExitFile } from './shim';
import { defaultShmSize } from './spec';

const rfc3339 = (ns: number) => (ns ? new Date(ns / 1e6).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(ns % 1e6).padStart(6, '0')}Z`) : '0001-01-01T00:00:00Z');

export async function inspectContainer(ctx: RuntimeContext, ref: string, size = false): Promise<ContainerInspect> {
  const found = findContainer(ctx, ref);
  const row = (await refreshContainer(ctx, found.id)) ?? found;
  const health = readHealth(ctx, row);
  const dir = ctx.paths.containerDir(row.id);
  const c = row.spec.Config;
  const host = row.spec.HostConfig;
  const args = [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])];
  return {
    Id: row.id,
    Created: rfc3339(row.created),
    Path: args[0] ?? '',
    Args: args.slice(1),
    State: {
      Status: row.state,
      // As dockerd: a container waiting to restart counts as running.
      Running: isLive(row.state),
      Paused: row.state === 'paused',
      Restarting: row.state === 'restarting',
      // The monitor records it when the container ends; a new start clears it.
      OOMKilled: row.state !== 'running' && row.state !== 'paused' && readExitFile(ctx.paths.runDir(row.id))?.oomKilled === true,
      Dead: row.state === 'dead',
      Pid: row.pid,
      ExitCode: row.exitCode,
      Error: row.error,
      StartedAt: rfc3339(row.startedAt),
      FinishedAt: rfc3339(row.finishedAt),
      ...(health ? { Health: health } : {}),
    },
    Image: row.imageId,
    ResolvConfPath: path.join(dir, 'resolv.conf'),
    HostnamePath: path.join(dir, 'hostname'),
    HostsPath: path.join(dir, 'hosts'),
    LogPath: logFileOf(ctx, row) ?? '',
    Name: `/${row.name}`,
    RestartCount: row.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: {
      Binds: host.Binds.length ? host.Binds : null,
      NetworkMode: host.NetworkMode,
      PortBindings: host.PortBindings ?? {},
      PublishAllPorts: !!host.PublishAllPorts,
      Dns: host.Dns ?? [],
      DnsOptions: host.DnsOptions ?? [],
      DnsSearch: host.DnsSearch ?? [],
      ExtraHosts: host.ExtraHosts?.length ? host.ExtraHosts : null,
      VolumesFrom: host.VolumesFrom?.length ? host.VolumesFrom : null,
      AutoRemove: host.AutoRemove,
      RestartPolicy: host.RestartPolicy ?? { Name: 'no', MaximumRetryCount: 0 },
      Privileged: host.Privileged ?? false,
      Devices: host.Devices ?? [],
      CapAdd: host.CapAdd ?? null,
      CapDrop: host.CapDrop ?? null,
      SecurityOpt: host.SecurityOpt ?? null,
      ReadonlyRootfs: host.ReadonlyRootfs ?? false,
      GroupAdd: host.GroupAdd ?? null,
      Ulimits: host.Ulimits ?? [],
      ShmSize: host.ShmSize ?? defaultShmSize,
      Init: host.Init ?? null,
      ...resourcesOf(host),
      LogConfig: logConfigOf(row),
      CgroupParent: '',
      IpcMode: row.spec.HostConfig.IpcMode ?? 'private',
      PidMode: row.spec.HostConfig.PidMode ?? '',
      UTSMode: row.spec.HostConfig.UTSMode ?? '',
      UsernsMode: row.spec.HostConfig.UsernsMode ?? '',
      CgroupnsMode: row.spec.HostConfig.CgroupnsMode ?? 'host',
      ...(row.spec.HostConfig.Sysctls && Object.keys(row.spec.HostConfig.Sysctls).length > 0 ? { Sysctls: row.spec.HostConfig.Sysctls } : {}),
      OomScoreAdj: row.spec.HostConfig.OomScoreAdj ?? 0,
      Runtime: row.spec.HostConfig.Runtime ?? 'strata',
    },
    GraphDriver: {
      Name: 'overlay2',
      Data: {
        LowerDir: containerLowerDirs(ctx, row).join(':'),
        UpperDir: path.join(dir, 'upper'),
        MergedDir: path.join(dir, 'merged'),
        WorkDir: path.join(dir, 'work'),
      },
    },
    ...(size ? sizesOf(ctx, row) : {}),
    Mounts: mountPointsOf(row.spec).map((m) =>
      m.Type === 'volume'
        ? { Type: 'volume', Name: m.Name, Source: m.Source, Destination: m.Destination, Driver: 'local', Mode: m.Mode, RW: m.RW, Propagation: '' }
        : { Type: m.Type, Source: m.Source, Destination: m.Destination, Mode: m.Mode, RW: m.RW, Propagation: m.Type === 'bind' ? 'rprivate' : '' },
    ),
    Config: c,
    NetworkSettings: containerNetworkSettings(ctx, row),
  };
}

function sizesOf(ctx: RuntimeContext, row: ContainerRow): { SizeRw: number; SizeRootFs: number } {
  const { sizeRw, sizeRootFs } = containerSizes(ctx, row);
  return { SizeRw: sizeRw, SizeRootFs: sizeRootFs };
}

export function containerChanges(ctx: RuntimeContext, ref: string): ChangeEntry[] {
  const row = findContainer(ctx, ref);
  return listChanges(path.join(ctx.paths.containerDir(row.id), 'upper'), containerLowerDirs(ctx, row));
}

/** Like Docker: `ps` on the host, keeping the rows of the container's processes. */
export async function containerTop(ctx: RuntimeContext, ref: string, psArgs = '-ef'): Promise<ProcessTable> {
  const row = findContainer(ctx, ref);
  if (row.state !== 'running' && row.state !== 'paused') throw conflict(`Container ${row.id} is not running`);
  const cg = cgroupsOf(ctx, row.id);
  const pids = new Set(cg ? cgroupPids(cg) : []);
  const stdout = await runPs(psArgs.split(/\s+/).filter(Boolean));
  const [header = '', ...lines] = stdout.split('\n').filter(Boolean);
  const titles = header.trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw conflict(`Couldn't find PID field in ps output`);
  const processes = lines
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return [...f.slice(0, titles.length - 1), f.slice(titles.length - 1).join(' ')];
    })
    .filter((f) => pids.has(Number(f[pidCol])));
  return { titles, processes };
}

/** ps's output; its refusal of the arguments in dockerd's words, with the first line ps gave. */
async function runPs(args: string[]): Promise<string> {
  try {
    return (await promisify(execFile)('ps', args)).stdout;
  } catch (err) {
    const e = err as { code?: number | string; stderr?: string };
    const why = (e.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
    throw invalidArgument(`Error running ps: exit status ${e.code}${why ? `: ${why.trim()}` : ''}`);
  }
}

export function readRuntimeSpec(ctx: RuntimeContext, ref: string): unknown {
  const row = findContainer(ctx, ref);
  return JSON.parse(fs.readFileSync(path.join(ctx.paths.containerDir(row.id), 'config.json'), 'utf8'));
}
