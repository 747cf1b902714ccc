// POST /containers/create: Docker's Config + HostConfig + NetworkingConfig
// body as the engine's CreateOptions. Every field is either carried over,
// known to mean nothing here (client-side settings, Docker's defaults), or
// refused with a line that names it: a setting Strata cannot honour is an
// error, never silently dropped.

import type { CreateOptions, MountOptions, PortBinding } from '../api';
import { badRequest, notImplemented } from './errors';

type Json = Record<string, unknown>;

/** Docker's StrSlice: a list, or (older clients) one string. */
function strSlice(v: unknown, field: string): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ${field} of type strslice.StrSlice`);
}

function str(v: unknown, field: string): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ${field} of type string`);
  return v;
}

/** A Go integer field (null: unset). */
function int(v: unknown, field: string, type = 'int64'): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ${field} of type ${type}`);
  return v;
}

/** Go maps: set as soon as they have a key ({"80/tcp": {}} asks for a port). */
const mapFields = new Set(['ExposedPorts', 'Volumes', 'PortBindings', 'Tmpfs', 'Sysctls', 'StorageOpt', 'Annotations', 'DriverOpts']);

/** Go's zero value: structs are zero when every field is. */
function isEmpty(v: unknown, key = ''): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Json);
    return mapFields.has(key) ? entries.length === 0 : entries.every(([k, x]) => isEmpty(x, k));
  }
  return false;
}

/** Values that are Docker's own defaults, as clients send them. */
const defaults: Record<string, (v: unknown) => boolean> = {
  RestartPolicy: (v) => isEmpty(v) || ((v as Json).Name === 'no' && !(v as Json).MaximumRetryCount),
  LogConfig: (v) => isEmpty(v) || ((v as Json).Type === 'json-file' && isEmpty((v as Json).Config)),
  MemorySwappiness: (v) => v === -1 || isEmpty(v),
  PidsLimit: (v) => v === -1 || isEmpty(v),
  IpcMode: (v) => isEmpty(v) || v === 'private' || v === 'shareable',
  CgroupnsMode: (v) => isEmpty(v) || v === 'private' || v === 'host',
  Isolation: (v) => isEmpty(v) || v === 'default',
  ShmSize: (v) => isEmpty(v) || v === 67108864,
};

/** Docker's resource fields (create and update) and the engine's names for them; 0 (or -1) is Docker's "not set". */
export const resourceFields = {
  Memory: 'memory',
  MemorySwap: 'memorySwap',
  MemoryReservation: 'memoryReservation',
  PidsLimit: 'pidsLimit',
  NanoCpus: 'nanoCpus',
  CpuShares: 'cpuShares',
  CpusetCpus: 'cpusetCpus',
  BlkioWeight: 'blkioWeight',
  CpuPeriod: 'cpuPeriod',
  CpuQuota: 'cpuQuota',
  CpuRealtimePeriod: 'cpuRealtimePeriod',
  CpuRealtimeRuntime: 'cpuRealtimeRuntime',
  CpusetMems: 'cpusetMems',
  MemorySwappiness: 'memorySwappiness',
} as const;

type Cpusets = 'cpusetCpus' | 'cpusetMems';
type ResourceOptions = { -readonly [K in (typeof resourceFields)[keyof typeof resourceFields]]?: K extends Cpusets ? string : number };

/** The resource fields a HostConfig (or an update body) sets; refuses a value of the wrong type. */
export function resourceOptions(host: Json): ResourceOptions {
  const out: ResourceOptions = {};
  for (const [docker, engine] of Object.entries(resourceFields)) {
    const v = host[docker];
    // MemorySwappiness 0 is a setting (never swap); -1 is the kernel's.
    const unset = docker === 'MemorySwappiness' ? v === -1 : v === 0;
    if (v === undefined || v === null || unset || v === '') continue;
    if (engine === 'cpusetCpus' || engine === 'cpusetMems') {
      if (typeof v !== 'string') throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ${docker} of type string`);
      out[engine] = v;
    } else {
      // -1 is "unlimited" for PidsLimit (what the engine takes as no limit too).
      (out as Record<string, number>)[engine] = int(v, docker)!;
    }
  }
  return out;
}

/** HostConfig fields the create translates (or that only the client uses). */
const hostHandled = new Set([
  'Binds', 'NetworkMode', 'AutoRemove', 'ContainerIDFile', 'ConsoleSize', 'Privileged', 'Devices', 'PortBindings', 'PublishAllPorts',
  'Mounts', 'Tmpfs', 'VolumesFrom', 'Dns', 'DnsSearch', 'DnsOptions', 'ExtraHosts',
  'CapAdd', 'CapDrop', 'SecurityOpt', 'ReadonlyRootfs', 'GroupAdd', 'Ulimits', 'ShmSize', 'Init', 'OomKillDisable', 'RestartPolicy', ...Object.keys(resourceFields),
]);
/** Config fields the create translates (or that only say how the client attaches). */
const configHandled = new Set([
  'Hostname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'Tty', 'OpenStdin', 'StdinOnce', 'Env', 'Cmd', 'Image',
  'WorkingDir', 'Entrypoint', 'Labels', 'StopSignal', 'StopTimeout', 'ArgsEscaped', 'HostConfig', 'NetworkingConfig', 'ExposedPorts', 'Volumes', 'Healthcheck',
]);
/** What an endpoint of the container's own network may say at create (API 1.41: one network). */
const endpointHandled = new Set(['Aliases', 'IPAMConfig']);

function refuseUnsupported(section: string, values: Json, handled: Set<string>): void {
  for (const [key, v] of Object.entries(values)) {
    if (handled.has(key)) continue;
    const isDefault = defaults[key] ?? ((x: unknown) => isEmpty(x, key));
    if (!isDefault(v)) throw notImplemented(`Strata does not support ${section}${key} (${JSON.stringify(v)})`);
  }
}

export function createOptions(body: unknown, name: string | null): CreateOptions {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('invalid JSON: expected an object');
  const config = body as Json;
  const host = (config.HostConfig ?? {}) as Json;
  const networking = (config.NetworkingConfig ?? {}) as Json;
  if (Object.keys(config).every((k) => k === 'HostConfig' || k === 'NetworkingConfig')) {
    throw badRequest('Config cannot be empty in order to create a container');
  }
  refuseUnsupported('', config, configHandled);
  refuseUnsupported('HostConfig.', host, hostHandled);
  const networkMode = str(host.NetworkMode, 'HostConfig.NetworkMode');
  const endpoints = Object.entries((networking.EndpointsConfig ?? {}) as Json);
  for (const [net, endpoint] of endpoints) {
    const own = net === networkMode || ((net === 'default' || net === 'bridge') && (!networkMode || networkMode === 'default' || networkMode === 'bridge'));
    refuseUnsupported(`NetworkingConfig.EndpointsConfig.${net}.`, (endpoint ?? {}) as Json, own ? endpointHandled : new Set());
  }

  const image = str(config.Image, 'Config.Image');
  if (!image) throw badRequest('Config cannot be empty in order to create a container');
  const cmd = strSlice(config.Cmd, 'Config.Cmd');
  const entrypoint = strSlice(config.Entrypoint, 'Config.Entrypoint');
  const labels = config.Labels as Record<string, string> | null | undefined;
  const options: CreateOptions = { image };
  if (name) options.name = name;
  if (cmd && cmd.length) options.cmd = cmd;
  if (entrypoint) options.entrypoint = entrypoint;
  if (Array.isArray(config.Env) && config.Env.length) options.env = (config.Env as unknown[]).map(String);
  const workingDir = str(config.WorkingDir, 'Config.WorkingDir');
  if (workingDir) options.workingDir = workingDir;
  const user = str(config.User, 'Config.User');
  if (user) options.user = user;
  const hostname = str(config.Hostname, 'Config.Hostname');
  if (hostname) options.hostname = hostname;
  if (config.Tty === true) options.tty = true;
  if (config.OpenStdin === true) options.openStdin = true;
  const binds = Array.isArray(host.Binds) ? (host.Binds as unknown[]).map(String) : [];
  const mounts = mountList(host.Mounts);
  // Config.Volumes not bound or mounted anywhere are anonymous volumes, as `docker run -v /data`.
  const taken = new Set([...binds.map((b) => b.split(':')[1] ?? b), ...mounts.map((m) => m.target)]);
  for (const dst of Object.keys((config.Volumes ?? {}) as Json)) if (!taken.has(dst)) binds.push(dst);
  if (binds.length) options.binds = binds;
  if (mounts.length) options.mounts = mounts;
  const tmpfs = host.Tmpfs as Record<string, string> | null | undefined;
  if (tmpfs && Object.keys(tmpfs).length) options.tmpfs = tmpfs;
  const lists = { volumesFrom: host.VolumesFrom, dns: host.Dns, dnsSearch: host.DnsSearch, dnsOptions: host.DnsOptions, extraHosts: host.ExtraHosts } as const;
  for (const [key, v] of Object.entries(lists)) if (Array.isArray(v) && v.length) options[key as keyof typeof lists] = v.map(String);
  const ports = Object.entries((host.PortBindings ?? {}) as Record<string, PortBinding[] | null>).filter(([, b]) => b !== null);
  if (ports.length) options.portBindings = Object.fromEntries(ports.map(([port, b]) => [port, (b ?? []).map((x) => ({ HostIp: x.HostIp ?? '', HostPort: x.HostPort ?? '' }))]));
  if (host.PublishAllPorts === true) options.publishAll = true;
  Object.assign(options, resourceOptions(host));
  const security = { capAdd: host.CapAdd, capDrop: host.CapDrop, securityOpt: host.SecurityOpt, groupAdd: host.GroupAdd } as const;
  for (const [key, v] of Object.entries(security)) if (Array.isArray(v) && v.length) options[key as keyof typeof security] = v.map(String);
  if (host.ReadonlyRootfs === true) options.readOnly = true;
  if (host.Init === true) options.init = true;
  if (host.OomKillDisable === true) options.oomKillDisable = true;
  if (typeof host.ShmSize === 'number' && host.ShmSize > 0 && host.ShmSize !== 67108864) options.shmSize = host.ShmSize;
  if (Array.isArray(host.Ulimits) && host.Ulimits.length) {
    options.ulimits = (host.Ulimits as Json[]).map((u) => ({ name: String(u.Name ?? ''), soft: Number(u.Soft ?? 0), hard: Number(u.Hard ?? 0) }));
  }
  const exposed = Object.keys((config.ExposedPorts ?? {}) as Json);
  if (exposed.length) options.exposedPorts = exposed;
  const own = endpoints.find(([net]) => net === networkMode || net === 'default' || net === 'bridge')?.[1] as Json | undefined;
  const aliases = Array.isArray(own?.Aliases) ? (own.Aliases as unknown[]).map(String) : [];
  if (aliases.length) options.networkAliases = aliases;
  const ipv4 = ((own?.IPAMConfig ?? {}) as Json).IPv4Address;
  if (typeof ipv4 === 'string' && ipv4) options.ipv4Address = ipv4;
  // "default" and "bridge" are the engine's default network.
  if (networkMode && networkMode !== 'default' && networkMode !== 'bridge') options.networkMode = networkMode as CreateOptions['networkMode'];
  const stopSignal = str(config.StopSignal, 'Config.StopSignal');
  if (stopSignal) options.stopSignal = stopSignal;
  if (typeof config.StopTimeout === 'number') options.stopTimeout = config.StopTimeout;
  if (host.AutoRemove === true) options.autoRemove = true;
  if (host.Privileged === true) options.privileged = true;
  const restart = (host.RestartPolicy ?? {}) as Json;
  if (!defaults.RestartPolicy(restart)) {
    const retries = int(restart.MaximumRetryCount, 'RestartPolicy.MaximumRetryCount', 'int');
    options.restartPolicy = { name: str(restart.Name, 'RestartPolicy.Name') ?? 'no', ...(retries ? { maximumRetryCount: retries } : {}) };
  }
  const healthcheck = healthcheckOptions(config.Healthcheck);
  if (healthcheck) options.healthcheck = healthcheck;
  const devices = deviceList(host.Devices);
  if (devices.length) options.devices = devices;
  if (labels && typeof labels === 'object' && Object.keys(labels).length) options.labels = labels;
  return options;
}

/** Config.Healthcheck (durations in nanoseconds, 0: the image's or Docker's) as the engine's. */
function healthcheckOptions(v: unknown): CreateOptions['healthcheck'] {
  if (isEmpty(v)) return undefined;
  const h = v as Json;
  const numbers = { Interval: 'interval', Timeout: 'timeout', StartPeriod: 'startPeriod', Retries: 'retries' } as const;
  const out: NonNullable<CreateOptions['healthcheck']> = {};
  const test = strSlice(h.Test, 'Config.Healthcheck.Test');
  if (test?.length) out.test = test;
  for (const [docker, engine] of Object.entries(numbers)) {
    const x = int(h[docker], `HealthConfig.${docker}`, docker === 'Retries' ? 'int' : 'int64');
    if (x) out[engine] = x; // 0: the image's or Docker's default
  }
  return out;
}

/** HostConfig.Devices ({PathOnHost, PathInContainer, CgroupPermissions}) as --device's "HOST[:CONTAINER[:PERMS]]". */
function deviceList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw badRequest('json: cannot unmarshal HostConfig.Devices: expected a list');
  return v.map((d: Json) => {
    const host = str(d?.PathOnHost, 'HostConfig.Devices.PathOnHost');
    if (!host) throw badRequest('invalid device mapping: PathOnHost is empty');
    const inside = str(d.PathInContainer, 'HostConfig.Devices.PathInContainer') ?? host;
    const perms = str(d.CgroupPermissions, 'HostConfig.Devices.CgroupPermissions') ?? 'rwm';
    return `${host}:${inside}:${perms}`;
  });
}

/** HostConfig.Mounts as the engine's --mount options. */
function mountList(v: unknown): MountOptions[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw badRequest('json: cannot unmarshal HostConfig.Mounts: expected a list');
  return v.map((m: Json) => {
    const type = m?.Type;
    if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw notImplemented(`Strata does not support mounts of type ${JSON.stringify(type)}`);
    const volume = (m.VolumeOptions ?? {}) as Json;
    const tmpfs = (m.TmpfsOptions ?? {}) as Json;
    refuseUnsupported('HostConfig.Mounts.BindOptions.', (m.BindOptions ?? {}) as Json, new Set());
    refuseUnsupported('HostConfig.Mounts.VolumeOptions.', volume, new Set(['NoCopy', 'Labels']));
    return {
      type,
      ...(typeof m.Source === 'string' && m.Source ? { source: m.Source } : {}),
      target: String(m.Target ?? ''),
      ...(m.ReadOnly === true ? { readOnly: true } : {}),
      ...(volume.NoCopy === true ? { noCopy: true } : {}),
      ...(volume.Labels && typeof volume.Labels === 'object' ? { volumeLabels: volume.Labels as Record<string, string> } : {}),
      ...(typeof tmpfs.SizeBytes === 'number' && tmpfs.SizeBytes > 0 ? { tmpfsSize: tmpfs.SizeBytes } : {}),
      ...(typeof tmpfs.Mode === 'number' && tmpfs.Mode > 0 ? { tmpfsMode: tmpfs.Mode } : {}),
    };
  });
}
