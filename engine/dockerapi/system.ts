// /_ping, /version, /info, /system/df and /auth: what clients ask first and
// what `docker info`, `docker version` and `docker system df` print.

import fs from 'node:fs';
import os from 'node:os';
import type { ContainerSummary, SystemInfo } from '../api';
import type { ApiContext } from './context';
import type { Exchange } from './exchange';
import type { Route } from './router';
import { badRequest } from './errors';
import { dfContainer, dfImage } from './shapes';
import { maxApiVersion, minApiVersion } from './versions';

const arch = () => (process.arch === 'x64' ? 'amd64' : process.arch);

function ping(ex: Exchange): void {
  // HEAD or GET; the CLI reads the version and the builder from the headers.
  ex.send(200, ex.method === 'HEAD' ? '' : 'OK', {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    'Builder-Version': '1',
  });
}

async function version(ex: Exchange, ctx: ApiContext): Promise<void> {
  const info = await ctx.client.call('system.info', {});
  const details = {
    ApiVersion: maxApiVersion,
    Arch: arch(),
    BuildTime: '',
    Experimental: 'false',
    GitCommit: '',
    GoVersion: `node ${process.version}`,
    KernelVersion: info.kernel,
    MinAPIVersion: minApiVersion,
    Os: 'linux',
  };
  ex.sendJson(200, {
    Platform: { Name: 'Strata' },
    Components: [{ Name: 'Engine', Version: info.version, Details: details }],
    Version: info.version,
    ApiVersion: maxApiVersion,
    MinAPIVersion: minApiVersion,
    GitCommit: '',
    GoVersion: details.GoVersion,
    Os: 'linux',
    Arch: arch(),
    KernelVersion: info.kernel,
    BuildTime: '',
  });
}

function operatingSystem(): string {
  try {
    return /^PRETTY_NAME=("?)(.*)\1$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[2] ?? os.type();
  } catch {
    return os.type();
  }
}

/** Docker's SystemInfo, with what Strata knows and Docker's zero values for what it does not have. */
export function infoJson(info: SystemInfo, containers: readonly ContainerSummary[]): Record<string, unknown> {
  const count = (state: string) => containers.filter((c) => c.state === state).length;
  return {
    ID: '',
    Containers: containers.length,
    ContainersRunning: count('running'),
    ContainersPaused: count('paused'),
    ContainersStopped: containers.length - count('running') - count('paused'),
    Images: info.images,
    Driver: 'overlay2',
    DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Native Overlay Diff', 'true']],
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: ['json-file'] },
    MemoryLimit: true,
    SwapLimit: false,
    KernelMemory: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    BridgeNfIptables: false,
    BridgeNfIp6tables: false,
    Debug: false,
    NFd: 0,
    OomKillDisable: false,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: info.cgroupFreezer === 'v2' ? '2' : '1',
    NEventsListener: 0,
    KernelVersion: info.kernel,
    OperatingSystem: operatingSystem(),
    OSVersion: '',
    OSType: 'linux',
    Architecture: os.machine(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: { AllowNondistributableArtifactsCIDRs: [], AllowNondistributableArtifactsHostnames: [], InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: {}, Mirrors: [] },
    NCPU: os.cpus().length,
    MemTotal: os.totalmem(),
    GenericResources: null,
    DockerRootDir: info.root,
    HttpProxy: process.env.HTTP_PROXY ?? process.env.http_proxy ?? '',
    HttpsProxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? '',
    NoProxy: process.env.NO_PROXY ?? process.env.no_proxy ?? '',
    Name: os.hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: info.version,
    Runtimes: { 'strata-shim': { path: 'strata-shim' } },
    DefaultRuntime: 'strata-shim',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: ['name=seccomp,profile=default'],
    Warnings: null,
  };
}

async function info(ex: Exchange, ctx: ApiContext): Promise<void> {
  const [system, containers] = await Promise.all([ctx.client.call('system.info', {}), ctx.client.call('container.list', { all: true })]);
  ex.sendJson(200, infoJson(system, containers));
}

async function df(ex: Exchange, ctx: ApiContext): Promise<void> {
  const [usage, containers] = await Promise.all([ctx.client.call('system.df', {}), ctx.client.call('container.list', { all: true })]);
  const byId = new Map(containers.map((c) => [c.id, c]));
  ex.sendJson(200, {
    LayersSize: usage.layersSize,
    Images: usage.images.map(dfImage),
    Containers: usage.containers.map((c) => dfContainer(c, byId.get(c.id))),
    Volumes: await Promise.all(
      usage.volumes.map(async (v) => ({ ...(await ctx.client.call('volume.inspect', { name: v.name })), UsageData: { Size: v.size, RefCount: v.links } })),
    ),
    BuildCache: [],
  });
}

/** `docker login` asks the engine to check the credentials; Strata keeps them, so its own pulls and pushes use them. */
async function auth(ex: Exchange, ctx: ApiContext): Promise<void> {
  const body = (await ex.json()) as { username?: string; password?: string; serveraddress?: string } | undefined;
  if (!body || typeof body !== 'object') throw badRequest('invalid JSON: empty body');
  const result = await ctx.client.call('registry.login', {
    username: String(body.username ?? ''),
    password: String(body.password ?? ''),
    ...(body.serveraddress ? { server: String(body.serveraddress) } : {}),
  });
  ex.sendJson(200, { Status: result.status, IdentityToken: '' });
}

export const systemRoutes: Route[] = [
  { method: 'GET', pattern: '/_ping', handler: ping },
  { method: 'HEAD', pattern: '/_ping', handler: ping },
  { method: 'GET', pattern: '/version', handler: version },
  { method: 'GET', pattern: '/info', handler: info },
  { method: 'GET', pattern: '/system/df', handler: df },
  { method: 'POST', pattern: '/auth', handler: auth },
];
