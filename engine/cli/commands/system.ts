// `strata info` and `strata version`: the engine's system.info, laid out
// as docker's, with what only this machine can say (OS, CPUs, memory).

import fs from 'node:fs';
import os from 'node:os';
import type { ContainerSummary, SystemInfo } from '../../api';
import { bytesSize } from '../../humanize';
import type { CommandModule } from '../command';
import { buildInfo } from '../buildInfo';
import { goJson } from '../gojson';
import { tabwrite } from '../tabwriter';
import { parseTemplate } from '../template';
import type { Cli } from '../session';

function operatingSystem(): string {
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME=("?)(.*)\1$/m.exec(release)?.[2];
    if (pretty) return pretty;
  } catch {
    // no os-release: fall through to the kernel's name
  }
  return os.type();
}

function infoText(info: SystemInfo, containers: readonly ContainerSummary[]): string {
  const count = (state: string) => containers.filter((c) => c.state === state).length;
  return [
    `Containers: ${info.containers}`,
    ` Running: ${count('running')}`,
    ` Paused: ${count('paused')}`,
    ` Stopped: ${containers.length - count('running') - count('paused')}`,
    `Images: ${info.images}`,
    `Server Version: ${info.version}`,
    'Storage Driver: overlay2',
    'Logging Driver: json-file',
    `Cgroup Freezer: ${info.cgroupFreezer}`,
    `Mode: ${info.mode}`,
    `Kernel Version: ${info.kernel}`,
    `Operating System: ${operatingSystem()}`,
    'OSType: linux',
    `Architecture: ${os.machine()}`,
    `CPUs: ${os.cpus().length}`,
    `Total Memory: ${bytesSize(os.totalmem())}`,
    `Runtimes: ${info.runtimes.map((r) => r.name).join(' ')}`,
    'Default Runtime: strata',
    `Strata Root Dir: ${info.root}`,
    `Strata Run Dir: ${info.runRoot}`,
  ].join('\n') + '\n';
}

/** Go's time.ANSIC of an RFC 3339 time ("Mon Dec  7 04:09:28 2026"), as docker prints Built. */
function ansic(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

const goArch = () => (process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch);

/** `docker version`'s data: the client (this CLI) and the server (the engine, and the runtimes it can run containers with). */
export function versionInfo(info: SystemInfo) {
  const build = buildInfo();
  const built = ansic(build.built);
  return {
    Client: {
      Platform: { Name: 'Strata' },
      Version: build.version,
      NodeVersion: process.version,
      GitCommit: build.commit,
      BuildTime: built,
      Os: 'linux',
      Arch: goArch(),
      Context: 'default',
    },
    Server: {
      Platform: { Name: 'Strata Engine' },
      Components: [
        {
          Name: 'Engine',
          Version: info.version,
          Details: { NodeVersion: process.version, GitCommit: build.commit, BuildTime: built, Os: 'linux', Arch: goArch(), KernelVersion: info.kernel },
        },
        ...info.runtimes.map((r) => ({ Name: r.name === 'strata' ? 'strata-shim' : r.name, Version: r.version, Details: { GitCommit: r.commit || build.commit } })),
      ],
      Version: info.version,
      NodeVersion: process.version,
      GitCommit: build.commit,
      Os: 'linux',
      Arch: goArch(),
      KernelVersion: info.kernel,
      BuildTime: built,
    },
  };
}

/** docker's version template through its tabwriter (minwidth 20, padding 1). */
function versionText(info: SystemInfo): string {
  const v = versionInfo(info);
  const rows: string[] = [
    `Client: ${v.Client.Platform.Name}`,
    ` Version:\t${v.Client.Version}`,
    ` Node.js version:\t${v.Client.NodeVersion}`,
    ` Git commit:\t${v.Client.GitCommit}`,
    ` Built:\t${v.Client.BuildTime}`,
    ` OS/Arch:\t${v.Client.Os}/${v.Client.Arch}`,
    ` Context:\t${v.Client.Context}`,
    '',
    `Server: ${v.Server.Platform.Name}`,
  ];
  for (const c of v.Server.Components) {
    rows.push(` ${c.Name}:`, `  Version:\t${c.Version}`);
    const server = v.Server;
    if (c.Name === 'Engine') {
      rows.push(`  Node.js version:\t${server.NodeVersion}`, `  Git commit:\t${server.GitCommit}`, `  Built:\t${server.BuildTime}`);
      rows.push(`  OS/Arch:\t${server.Os}/${server.Arch}`, `  Kernel version:\t${server.KernelVersion}`);
    } else rows.push(`  GitCommit:\t${c.Details.GitCommit}`);
  }
  return tabwrite(rows.join('\n'), { minWidth: 20, padding: 1 }) + '\n';
}

const formatFlag = { name: 'format', short: 'f', type: 'string', help: 'Format the output using the given Go template' } as const;

/** --format: json, or a template over the data. */
function formatted(format: string, data: unknown): string {
  if (format === 'json' || format === '{{json .}}') return goJson(data) + '\n';
  return parseTemplate(format).render(data) + '\n';
}

async function systemInfo(cli: Cli): Promise<SystemInfo> {
  return cli.client.call('system.info', {});
}

export const info: CommandModule = {
  flags: [formatFlag],
  args: { max: 0 },
  async run(cli, flags) {
    const system = await systemInfo(cli);
    const format = flags.string('format');
    if (format) cli.out(formatted(format, system));
    else {
      cli.out(infoText(system, await cli.client.call('container.list', { all: true })));
      for (const w of system.warnings) cli.err(`WARNING: ${w}\n`);
    }
    return 0;
  },
};

export const version: CommandModule = {
  // --kubeconfig: docker's (deprecated) Kubernetes orchestrator; Strata has none, so there is nothing to read from it.
  flags: [formatFlag, { name: 'kubeconfig', type: 'string', help: 'Kubernetes config file' }],
  args: { max: 0 },
  async run(cli, flags) {
    const system = await systemInfo(cli);
    const format = flags.string('format');
    cli.out(format ? formatted(format, versionInfo(system)) : versionText(system));
    return 0;
  },
};
