// The JSON Docker's API answers with, built from the engine's results: field
// names, order and zero values as dockerd 20.10 writes them (clients such as
// compose read fields the engine has no notion of, and expect them there,
// empty). Maps are written with sorted keys, as Go's encoder does.

import type { ContainerSummary, DiskUsageContainer, DiskUsageImage, ImageHistoryItem, ImageSummary } from '../api';
import { sortedMap } from '../cli/gojson';
import type { ContainerInspect, ImageInspect } from '../inspect';

export const zeroTime = '0001-01-01T00:00:00Z';
const nullIfEmpty = <T>(list: readonly T[]): T[] | null => (list.length ? [...list] : null);

/** An endpoint a container has on a network, with nothing known about it (Docker's zero EndpointSettings). */
export function emptyEndpoint(): Record<string, unknown> {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    NetworkID: '',
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: '',
    DriverOpts: null,
  };
}

/** One entry of GET /containers/json. */
export function containerListJson(c: ContainerSummary): Record<string, unknown> {
  return {
    Id: c.id,
    Names: c.names.map((n) => `/${n}`),
    Image: c.image,
    ImageID: c.imageId,
    Command: c.command,
    Created: c.created,
    Ports: c.ports.map((p) => ({ ...(p.ip !== undefined ? { IP: p.ip } : {}), PrivatePort: p.privatePort, ...(p.publicPort !== undefined ? { PublicPort: p.publicPort } : {}), Type: p.type })),
    Labels: sortedMap(c.labels),
    State: c.state,
    Status: c.status,
    HostConfig: { NetworkMode: c.networks[0] ?? 'default' },
    NetworkSettings: { Networks: Object.fromEntries(c.networks.map((n) => [n, emptyEndpoint()])) },
    Mounts: c.mounts.map((source) => ({ Type: 'bind', Source: source, Destination: '', Mode: '', RW: true, Propagation: 'rprivate' })),
    ...(c.sizeRw !== undefined ? { SizeRw: c.sizeRw, SizeRootFs: c.sizeRootFs } : {}),
  };
}

/** One entry of GET /images/json; an untagged image reads "<none>:<none>" as dockerd lists it. */
export function imageListJson(i: ImageSummary): Record<string, unknown> {
  const untagged = i.repoTags.length === 0;
  return {
    Containers: -1,
    Created: i.created,
    Id: i.id,
    Labels: Object.keys(i.labels).length ? sortedMap(i.labels) : null,
    ParentId: i.parentId,
    RepoDigests: i.repoDigests.length ? i.repoDigests : untagged ? ['<none>@<none>'] : null,
    RepoTags: untagged ? ['<none>:<none>'] : i.repoTags,
    SharedSize: -1,
    Size: i.size,
    VirtualSize: i.size,
  };
}

export function historyJson(h: ImageHistoryItem): Record<string, unknown> {
  return { Comment: h.comment, Created: h.created, CreatedBy: h.createdBy, Id: h.id, Size: h.size, Tags: nullIfEmpty(h.tags) };
}

export function dfImage(i: DiskUsageImage): Record<string, unknown> {
  return {
    Containers: i.containers,
    Created: i.created,
    Id: i.id,
    Labels: null,
    ParentId: '',
    RepoDigests: null,
    RepoTags: nullIfEmpty(i.repoTags),
    SharedSize: i.sharedSize,
    Size: i.size,
    VirtualSize: i.size,
  };
}

export function dfContainer(d: DiskUsageContainer, summary: ContainerSummary | undefined): Record<string, unknown> {
  const base = summary ? containerListJson(summary) : { Id: d.id, Names: d.names.map((n) => `/${n}`), Image: d.image, State: d.state, Created: d.created };
  return { ...base, SizeRw: d.sizeRw };
}

const emptyConfig = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

/** GET /images/{name}/json: the engine's inspect with the fields dockerd adds. */
export function imageInspectJson(i: ImageInspect): Record<string, unknown> {
  return {
    Id: i.Id,
    RepoTags: i.RepoTags,
    RepoDigests: i.RepoDigests,
    Parent: i.Parent,
    Comment: i.Comment,
    Created: i.Created || zeroTime,
    Container: '',
    ContainerConfig: emptyConfig,
    DockerVersion: '',
    Author: i.Author,
    Config: { ...emptyConfig, ...i.Config, Labels: i.Config.Labels ?? null },
    Architecture: i.Architecture,
    Os: i.Os,
    Size: i.Size,
    VirtualSize: i.Size,
    GraphDriver: i.GraphDriver,
    RootFS: i.RootFS,
    // Go's zero time, where the engine has none: clients parse these as times.
    Metadata: { LastTagTime: i.Metadata.LastTagTime || zeroTime },
  };
}

/** HostConfig as dockerd reports it: Strata's settings over Docker's defaults for everything it has no setting for. */
function hostConfigJson(h: ContainerInspect['HostConfig']): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    Binds: null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: 'default',
    PortBindings: {},
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: false,
    VolumeDriver: '',
    VolumesFrom: null,
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: 'private',
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'strata-shim',
    ConsoleSize: [0, 0],
    Isolation: '',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: null,
    BlkioDeviceWriteBps: null,
    BlkioDeviceReadIOps: null,
    BlkioDeviceWriteIOps: null,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    KernelMemory: 0,
    KernelMemoryTCP: 0,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: null,
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    MaskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware'],
    ReadonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
  // Strata's own values replace the defaults in place, so the keys keep Docker's order.
  return Object.assign(defaults, h);
}

/** GET /containers/{id}/json: the engine's inspect, completed to Docker's shape. */
export function containerInspectJson(c: ContainerInspect, execIds: string[]): Record<string, unknown> {
  const networks = Object.fromEntries(Object.entries(c.NetworkSettings.Networks).map(([name, ep]) => [name, { ...emptyEndpoint(), ...ep }]));
  return {
    Id: c.Id,
    Created: c.Created,
    Path: c.Path,
    Args: c.Args,
    State: c.State,
    Image: c.Image,
    ResolvConfPath: c.ResolvConfPath,
    HostnamePath: c.HostnamePath,
    HostsPath: c.HostsPath,
    LogPath: c.LogPath,
    Name: c.Name,
    RestartCount: c.RestartCount,
    Driver: c.Driver,
    Platform: c.Platform,
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: nullIfEmpty(execIds),
    HostConfig: hostConfigJson(c.HostConfig),
    GraphDriver: c.GraphDriver,
    Mounts: c.Mounts,
    Config: { ...emptyConfig, ...c.Config, OnBuild: null, Labels: sortedMap(c.Config.Labels ?? {}) },
    NetworkSettings: { ...c.NetworkSettings, Networks: networks },
  };
}
