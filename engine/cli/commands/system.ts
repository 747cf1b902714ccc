// `strata info` and `strata version`: the engine's system.info, laid out
// as docker's, with what only this machine can say (OS, CPUs, memory).

import fs from 'node:fs';
import os from 'node:os';
import type { ContainerSummary, SystemInfo } from '../../api';
import { bytesSize } from '../../humanize';
import type { CommandModule } from '../command';
import { goJson } from '../gojson';
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
    `Strata Root Dir: ${info.root}`,
    `Strata Run Dir: ${info.runRoot}`,
  ].join('\n') + '\n';
}

function versionText(info: SystemInfo): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return [
    'Strata:',
    ` Version:           ${info.version}`,
    ` Node.js version:   ${process.version}`,
    ` OS/Arch:           linux/${arch}`,
    ` Kernel Version:    ${info.kernel}`,
    ` Root Dir:          ${info.root}`,
    ` Mode:              ${info.mode}`,
  ].join('\n') + '\n';
}

const formatFlag = { name: 'format', short: 'f', type: 'string', help: "Format output using 'json'" } as const;
const wantsJson = (format: string | undefined) => format === 'json' || format === '{{json .}}';

async function systemInfo(cli: Cli): Promise<SystemInfo> {
  return cli.client.call('system.info', {});
}

export const info: CommandModule = {
  flags: [formatFlag],
  args: { max: 0 },
  async run(cli, flags) {
    const system = await systemInfo(cli);
    if (wantsJson(flags.string('format'))) cli.out(goJson(system) + '\n');
    else {
      cli.out(infoText(system, await cli.client.call('container.list', { all: true })));
      for (const w of system.warnings) cli.err(`WARNING: ${w}\n`);
    }
    return 0;
  },
};

export const version: CommandModule = {
  flags: [formatFlag],
  args: { max: 0 },
  async run(cli, flags) {
    const system = await systemInfo(cli);
    cli.out(wantsJson(flags.string('format')) ? goJson(system) + '\n' : versionText(system));
    return 0;
  },
};
