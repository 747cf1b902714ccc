// Devices in a container, as Docker gives them. A container gets a few
// device nodes of its own (null, zero, full, random, urandom, tty) and a
// device cgroup that lets it open only Docker's default list, whatever nodes
// its image ships: an image's 0666 node for the host's terminal or disk
// opens nothing (EPERM). `--device HOST[:CONTAINER[:PERMS]]` adds a host
// device and its rule; `--privileged` gets every host device in /dev and a
// cgroup that allows all. The launcher enforces the rules in every cgroup
// hierarchy that can: the v1 devices controller, a BPF program on cgroup v2.

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { deviceNumbers } from '../fs/deviceNumbers';
import type { DeviceMapping } from '../inspect';


/** An OCI linux.devices entry: a node the launcher creates in the container. */
export interface LinuxDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

/** An OCI linux.resources.devices rule; no type, major or minor means any. Later rules override earlier ones. */
export interface DeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access: string;
}

/** A --device-cgroup-rule ("c 1:3 mr", "a *:* rwm") as a rule; checked as the docker CLI's ValidateDeviceCgroupRule. */
export function parseDeviceCgroupRule(text: string): DeviceRule {
  const m = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/.exec(text);
  if (!m) throw invalidArgument(`invalid device cgroup format '${text}'`);
  const number = (n: string) => (n === '*' ? {} : { value: Number(n) });
  const major = number(m[2]).value;
  const minor = number(m[3]).value;
  return {
    allow: true,
    type: m[1] as DeviceRule['type'],
    ...(major !== undefined ? { major } : {}),
    ...(minor !== undefined ? { minor } : {}),
    access: m[4],
  };
}

/** The nodes every container's /dev has (runc's defaults, 0666 root). */
const defaultDevices: LinuxDevice[] = [
  ['/dev/null', 1, 3],
  ['/dev/zero', 1, 5],
  ['/dev/full', 1, 7],
  ['/dev/random', 1, 8],
  ['/dev/urandom', 1, 9],
  ['/dev/tty', 5, 0],
].map(([p, major, minor]) => ({ path: p as string, type: 'c', major: major as number, minor: minor as number, fileMode: 0o666, uid: 0, gid: 0 }));

/**
 * Docker's device cgroup: moby denies everything, runc then allows mknod of
 * any node and the use of these. Measured from dockerd 20.10 with runc
 * 1.1.5: devices.list reads exactly this list (tun allowed, fuse not).
 */
const defaultDeviceRules: DeviceRule[] = [
  { allow: false, access: 'rwm' },
  { allow: true, type: 'c', access: 'm' },
  { allow: true, type: 'b', access: 'm' },
  ...[[1, 3], [1, 5], [1, 7], [1, 8], [1, 9], [5, 0], [5, 1], [5, 2], [10, 200]].map(
    ([major, minor]): DeviceRule => ({ allow: true, type: 'c', major, minor, access: 'rwm' }),
  ),
  { allow: true, type: 'c', major: 136, access: 'rwm' }, // the pty slaves of /dev/pts
];

const allowAll: DeviceRule[] = [{ allow: true, access: 'rwm' }];

/** r, w and m, each at most once (docker's validDeviceMode). */
export function isDeviceMode(mode: string): boolean {
  return mode !== '' && [...mode].every((c, i) => 'rwm'.includes(c) && mode.indexOf(c) === i);
}

/** `--device HOST[:CONTAINER[:PERMS]]`, checked and read as the docker CLI does. */
export function parseDeviceMapping(spec: string): DeviceMapping {
  const parts = spec.split(':');
  if (parts.length > 3 || parts[0] === '') throw invalidArgument(`bad format for path: ${spec}`);
  const [host, second, third] = parts;
  let container = host;
  let permissions = 'rwm';
  if (parts.length === 3) {
    if (!isDeviceMode(third!)) throw invalidArgument(`bad mode specified: ${third}`);
    [container, permissions] = [second!, third!];
  } else if (parts.length === 2) {
    if (isDeviceMode(second!)) permissions = second!;
    else container = second!;
  }
  if (!container.startsWith('/')) throw invalidArgument(`${container} is not an absolute path`);
  return { PathOnHost: host, PathInContainer: path.posix.normalize(container), CgroupPermissions: permissions };
}

/** What the launcher gets: the nodes to create and the rules to enforce. */
export interface ContainerDevices {
  devices: LinuxDevice[];
  rules: DeviceRule[];
}

/**
 * The devices of a container with these mappings. A mapping whose host
 * device cannot be read is an error when `strict` (at start, as Docker), and
 * left out otherwise (at create, where Docker does not look yet).
 */
export function containerDevices(mappings: readonly DeviceMapping[], privileged: boolean, strict: boolean): ContainerDevices {
  const resolved: ContainerDevices[] = [];
  for (const m of mappings) {
    // Privileged containers have the host's nodes already; a mapping only adds another name, with every access.
    if (privileged && m.PathOnHost === m.PathInContainer) continue;
    try {
      resolved.push(resolveMapping(privileged ? { ...m, CgroupPermissions: 'rwm' } : m));
    } catch (err) {
      if (strict) throw err;
    }
  }
  const devices = [...resolved.flatMap((r) => r.devices), ...(privileged ? hostDevices() : []), ...defaultDevices];
  const taken = new Set<string>();
  return {
    devices: devices.filter((d) => !taken.has(d.path) && taken.add(d.path)),
    rules: privileged ? allowAll : [...defaultDeviceRules, ...resolved.flatMap((r) => r.rules)],
  };
}

/**
 * One mapping's nodes and rules (moby's DevicesFromPath): the device at the
 * host path (a symlink to one is followed), or every device below a host
 * directory, under the container path.
 */
function resolveMapping(m: DeviceMapping): ContainerDevices {
  const fail = (why: string) => invalidArgument(`error gathering device information while adding custom device "${m.PathOnHost}": ${why}`);
  let host = m.PathOnHost;
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(host);
    if (stats.isSymbolicLink()) {
      host = fs.realpathSync(host);
      stats = fs.lstatSync(host);
    }
  } catch (err) {
    throw fail(errorText(err));
  }
  const found: LinuxDevice[] = [];
  if (isDevice(stats)) found.push(device(m.PathInContainer, stats));
  else if (stats.isDirectory()) {
    for (const [file, s] of devicesBelow(host)) found.push(device(m.PathInContainer + file.slice(host.length), s));
  }
  if (found.length === 0) throw fail('not a device node');
  return {
    devices: found,
    rules: found.map((d) => ({ allow: true, type: d.type, major: d.major, minor: d.minor, access: m.CgroupPermissions })),
  };
}

/** Directories of the host's /dev that hold no device of its own (runc's HostDevices skips them). */
const notDevices = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

/**
 * Every device node of the host's /dev, for --privileged, as runc lists
 * them; /dev/console and /dev/ptmx are the container's own (its terminal,
 * the symlink to its devpts).
 */
function hostDevices(): LinuxDevice[] {
  return devicesBelow('/dev', (dir, name) => !(dir === '/dev' && (name === 'console' || name === 'ptmx')) && !notDevices.has(name)).map(
    ([file, stats]) => device(file, stats),
  );
}

/** The character and block devices below `dir`, never through a symlink. */
function devicesBelow(dir: string, keep: (dir: string, name: string) => boolean = () => true): Array<[string, fs.Stats]> {
  const out: Array<[string, fs.Stats]> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!keep(dir, entry.name)) continue;
    const file = path.join(dir, entry.name);
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(file);
    } catch {
      continue; // gone meanwhile
    }
    if (stats.isDirectory()) out.push(...devicesBelow(file, keep));
    else if (isDevice(stats)) out.push([file, stats]);
  }
  return out;
}

const isDevice = (s: fs.Stats) => s.isCharacterDevice() || s.isBlockDevice();

function device(containerPath: string, s: fs.Stats): LinuxDevice {
  const { major, minor } = deviceNumbers(s.rdev);
  return { path: containerPath, type: s.isCharacterDevice() ? 'c' : 'b', major, minor, fileMode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
}

/** Go's words for the error, as Docker's message has them. */
function errorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}
