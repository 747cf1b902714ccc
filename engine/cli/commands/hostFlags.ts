// The run/create flags about how the container sits on this host: its
// namespaces (--ipc, --pid, --uts, --userns, --cgroupns), --domainname,
// --sysctl, --oom-score-adj, --log-driver/--log-opt, --runtime, --link,
// --mac-address and --label-file; and the flags that cannot apply on one
// Linux host, accepted or refused as the README lists them.

import type { CreateOptions } from '../../api';
import type { FlagSpec, Flags } from '../flags';
import { keyValueMap } from '../flagValues';
import { OptionError, type Cli } from '../session';
import { kernelMemoryDiscarded, kernelMemoryFlag } from './limitFlags';

/** opts.ValidateSysctl: only namespaced sysctls (IPC's kernel.* and the network's net.*). */
function validateSysctl(value: string): string {
  const key = value.split('=')[0];
  const ipc = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'];
  if (value.includes('=') && (ipc.includes(key) || key.startsWith('net.') || key.startsWith('fs.mqueue.'))) return value;
  throw new Error(`sysctl '${value}' is not whitelisted`);
}

/** opts.ValidateMACAddress. */
function validateMac(value: string): string {
  if (!/^[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}$/.test(value)) throw new Error(`${value} is not a valid mac address`);
  return value;
}

/** ValidateAttach: stdin, stdout or stderr, any case. */
function validateAttach(value: string): string {
  const stream = value.toLowerCase();
  if (!['stdin', 'stdout', 'stderr'].includes(stream)) throw new Error('valid streams are STDIN, STDOUT and STDERR');
  return stream;
}

export const hostFlags: readonly FlagSpec[] = [
  { name: 'attach', short: 'a', type: 'list', help: 'Attach to STDIN, STDOUT or STDERR', validate: validateAttach },
  { name: 'cgroupns', type: 'string', help: "Cgroup namespace to use (host|private)\n'host':    Run the container in the Docker host's cgroup namespace\n'private': Run the container in its own private cgroup namespace\n'':        Use the cgroup namespace as configured by the\n           default-cgroupns-mode option on the daemon (default)" },
  { name: 'cidfile', type: 'string', help: 'Write the container ID to the file' },
  { name: 'disable-content-trust', type: 'bool', default: 'true', help: 'Skip image verification' },
  { name: 'domainname', type: 'string', help: 'Container NIS domain name' },
  { name: 'gpus', type: 'gpu-request', help: "GPU devices to add to the container ('all' to pass all GPUs)" },
  { name: 'help', type: 'bool', help: 'Print usage' },
  { name: 'ip6', type: 'string', help: 'IPv6 address (e.g., 2001:db8::33)' },
  { name: 'ipc', type: 'string', help: 'IPC mode to use' },
  { name: 'isolation', type: 'string', help: 'Container isolation technology' },
  kernelMemoryFlag,
  { name: 'label-file', type: 'list', help: 'Read in a line delimited file of labels' },
  { name: 'link', type: 'list', help: 'Add link to another container' },
  { name: 'link-local-ip', type: 'list', help: 'Container IPv4/IPv6 link-local addresses' },
  { name: 'log-driver', type: 'string', help: 'Logging driver for the container' },
  { name: 'log-opt', type: 'list', help: 'Log driver options' },
  { name: 'mac-address', type: 'string', help: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)', validate: validateMac },
  { name: 'oom-score-adj', type: 'int', help: "Tune host's OOM preferences (-1000 to 1000)" },
  { name: 'pid', type: 'string', help: 'PID namespace to use' },
  { name: 'runtime', type: 'string', help: 'Runtime to use for this container' },
  { name: 'storage-opt', type: 'list', help: 'Storage driver options for the container' },
  { name: 'sysctl', type: 'map', default: 'map[]', help: 'Sysctl options', validate: validateSysctl },
  { name: 'userns', type: 'string', help: 'User namespace to use' },
  { name: 'uts', type: 'string', help: 'UTS namespace to use' },
  { name: 'volume-driver', type: 'string', help: 'Optional volume driver for the container' },
];

/** opts.ReadKVStrings for --label-file: a label a line, `#` comments and blank lines skipped. */
function labelFileLines(files: readonly string[]): string[] {
  const fs = require('node:fs') as typeof import('node:fs');
  const out: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new OptionError(`open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
      const line = raw.replace(/\r$/, '').trimStart();
      if (line !== '' && !line.startsWith('#')) out.push(line);
    }
  }
  return out;
}

/** The flags that cannot apply here: refused in dockerd's words, or accepted as dockerd on Linux accepts them. */
function checkHostOnly(cli: Cli, flags: Flags): void {
  if (flags.has('gpus')) throw new OptionError('could not select device driver "" with capabilities: [[gpu]]');
  const isolation = flags.string('isolation');
  if (isolation && isolation !== 'default') throw new OptionError(`Invalid isolation: "${isolation}" - linux only supports 'default'`);
  if (flags.list('storage-opt').length > 0) throw new OptionError("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
  const driver = flags.string('volume-driver');
  if (driver && driver !== 'local') throw new OptionError(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  if (flags.list('link-local-ip').length > 0) throw new OptionError('user specified IP address is supported on user defined networks only');
  if (flags.has('ip6')) throw new OptionError("Strata's networks are IPv4 only: there is no IPv6 address to give");
  if (flags.has('disable-content-trust') && !flags.bool('disable-content-trust')) {
    throw new OptionError('content trust (Notary signatures) is not available in Strata: leave --disable-content-trust at true');
  }
  if (flags.has('kernel-memory')) cli.err(`WARNING: ${kernelMemoryDiscarded}\n`);
}

/** The CreateOptions these flags set. */
export function hostOptions(cli: Cli, flags: Flags): Partial<CreateOptions> {
  checkHostOnly(cli, flags);
  const options: Partial<CreateOptions> = {};
  const set = <K extends keyof CreateOptions>(key: K, flag: string) => {
    const value = flags.string(flag);
    if (value !== undefined && value !== '') options[key] = value as CreateOptions[K];
  };
  set('domainname', 'domainname');
  set('ipcMode', 'ipc');
  set('pidMode', 'pid');
  set('utsMode', 'uts');
  set('usernsMode', 'userns');
  set('cgroupnsMode', 'cgroupns');
  set('macAddress', 'mac-address');
  set('runtime', 'runtime');
  if (flags.list('sysctl').length > 0) options.sysctls = keyValueMap(flags.list('sysctl'));
  if (flags.has('oom-score-adj')) options.oomScoreAdj = flags.int('oom-score-adj');
  if (flags.list('link').length > 0) options.links = flags.list('link');
  if (flags.has('log-driver') || flags.has('log-opt')) {
    options.logConfig = { type: flags.string('log-driver') ?? '', config: keyValueMap(flags.list('log-opt')) };
  }
  return options;
}

/** --label-file labels, before the -l ones (which win), as the docker CLI merges them. */
export function fileLabels(flags: Flags): string[] {
  return labelFileLines(flags.list('label-file'));
}
