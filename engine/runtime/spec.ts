// The OCI runtime spec (config.json) the launcher runs, with Docker's
// defaults: the namespaces, mounts, devices, capabilities and masked paths a
// `docker run` container gets. Learners can open the file; the app shows it.

import fs from 'node:fs';
import { mountPointsOf, type ContainerSpecRecord, type HostConfig, type MountPoint } from '../store/containers';
import { capabilityNames, tweakCapabilities } from './capabilities';
import type { ContainerDevices } from './devices';
import { engineMode } from '../rootless';
import { initPathInContainer, type InitChoice } from './init';
import { ociResources, resourcesOf } from './resources/limits';
import type { OciSeccomp } from './seccomp/profile';
import { specRlimits } from './ulimits';

/** Docker's default capability set (moby oci/caps/defaults.go). */
export const defaultCapabilities = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** The capabilities of a container's processes, its first and every exec: --privileged, else the defaults with --cap-add/--cap-drop. */
export function containerCapabilities(host: HostConfig): string[] {
  if (host.Privileged) return privilegedCapabilities();
  if (!host.CapAdd?.length && !host.CapDrop?.length) return defaultCapabilities;
  const all = host.CapAdd?.includes('ALL') ? privilegedCapabilities() : capabilityNames;
  return tweakCapabilities(defaultCapabilities, host.CapAdd ?? [], host.CapDrop ?? [], all);
}

/**
 * --privileged: every capability the engine itself may hand on (its own
 * bounding set). Docker asks for every capability it knows and fails where
 * the host's bounding set lacks one (measured here, without
 * CAP_SYS_RESOURCE); the engine gives what there is, as Podman does.
 */
function privilegedCapabilities(): string[] {
  const bounding = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]}`);
  return capabilityNames.filter((_, bit) => (bounding >> BigInt(bit)) & 1n);
}

const maskedPaths = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

const readonlyPaths = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

export interface SpecInputs {
  record: ContainerSpecRecord;
  /** The network namespace to join instead of making one (--network container:NAME). */
  netnsPath?: string;
  /** Where /etc/hosts, /etc/resolv.conf and /etc/hostname come from: containers/<id>, or the other container's. */
  nameFilesDir: string;
  user: ResolvedUser;
  containerDir: string; // containers/<id>
  layersDir: string; // layers/, the cwd for the relative short lowerdirs
  overlayData: string;
  stdin: boolean;
  /** The nodes and the device cgroup (runtime/devices.ts). */
  devices: ContainerDevices;
  /** The capability set: Docker's default, or every one the engine holds for --privileged. */
  capabilities: string[];
  /** org.strata.log.*: how the monitor writes the log (runtime/logDriver.ts). */
  logAnnotations: Record<string, string>;
  /** runc or crun to run it, the monitor taking conmon's part; absent: the launcher's own clone. */
  runtime?: { name: string; path: string };
  /** The cgroup another runtime puts the container in, relative to its own (the engine's): the one the engine made. */
  cgroupsPath: string;
  /** linux.namespaces: its own, the host's (left out) or another container's (a path). */
  namespaces: Array<{ type: string; path?: string }>;
  /** The seccomp filter (security.ts), null for none. */
  seccomp: OciSeccomp | null;
  noNewPrivileges: boolean;
  /** --init's binary, or the launcher's own init; null without --init. */
  init: InitChoice | null;
}

export interface Mount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export function runtimeSpec(inp: SpecInputs): object {
  const c = inp.record.Config;
  const host = inp.record.HostConfig;
  const args = [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])];
  const privileged = host.Privileged === true;
  // Only root starts with capabilities in effect; the others keep the bounding set, as execve would leave them.
  const caps = inp.user.uid === 0 ? inp.capabilities : [];
  const init = inp.init;
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: c.Tty,
      user: inp.user,
      args: init && init !== 'builtin' ? [initPathInContainer, '--', ...args] : args,
      env: c.Env,
      cwd: c.WorkingDir || '/',
      capabilities: {
        bounding: inp.capabilities,
        effective: caps,
        permitted: caps,
        inheritable: [],
        ambient: [],
      },
      rlimits: specRlimits(host.Ulimits, inp.runtime !== undefined),
      noNewPrivileges: inp.noNewPrivileges,
      ...(host.OomScoreAdj ? { oomScoreAdj: host.OomScoreAdj } : {}),
    },
    root: { path: `${inp.containerDir}/merged`, readonly: host.ReadonlyRootfs === true },
    // With the host's uts namespace (--uts host) the names are the host's own.
    ...(host.UTSMode === 'host' ? {} : { hostname: c.Hostname, ...(c.Domainname ? { domainname: c.Domainname } : {}) }),
    mounts: [
      ...defaultMounts(privileged, host.ShmSize || defaultShmSize, host.IpcMode),
      ...fileMounts(inp.nameFilesDir),
      ...specMounts(mountPointsOf(inp.record)),
      ...(init && init !== 'builtin' ? [{ destination: initPathInContainer, type: 'bind', source: init.path, options: ['bind', 'ro'] }] : []),
    ],
    annotations: {
      'org.strata.overlay': inp.overlayData,
      'org.strata.overlay.cwd': inp.layersDir,
      'org.strata.stdin': String(inp.stdin),
      ...inp.logAnnotations,
      ...(inp.runtime ? { 'org.strata.runtime': inp.runtime.name, 'org.strata.runtime.path': inp.runtime.path } : {}),
      ...(init === 'builtin' ? { 'org.strata.init': 'builtin' } : {}),
    },
    linux: {
      namespaces: [
        ...inp.namespaces,
        ...(host.NetworkMode === 'host' ? [] : [{ type: 'network', ...(inp.netnsPath ? { path: inp.netnsPath } : {}) }]),
      ],
      // Another runtime makes (or joins) the container's cgroups itself: the same ones the engine made.
      ...(inp.runtime ? { cgroupsPath: inp.cgroupsPath } : {}),
      ...(host.Sysctls && Object.keys(host.Sysctls).length > 0 ? { sysctl: host.Sysctls } : {}),
      devices: inp.devices.devices,
      // The launcher applies the device rules; the engine writes the limits into the cgroups (resources/apply.ts).
      // A rootless engine has no device cgroup, nor needs one: its user namespace can make no device node.
      resources: { devices: engineMode().rootless ? [] : inp.devices.rules, ...ociResources(resourcesOf(host)) },
      // Privileged: nothing masked or read-only, and (security.ts) no seccomp.
      maskedPaths: privileged ? [] : maskedPaths,
      readonlyPaths: privileged ? [] : readonlyPaths,
      ...(inp.seccomp ? { seccomp: inp.seccomp } : {}),
    },
  };
}

/** Docker's /dev/shm: 64 MiB. */
export const defaultShmSize = 64 * 1024 * 1024;

/** Docker's: /sys read-only unless privileged; /dev/shm of --shm-size bytes, none with --ipc none, the host's with --ipc host. */
function defaultMounts(privileged: boolean, shmSize: number, ipc = 'private'): Mount[] {
  const shm: Mount[] =
    ipc === 'none'
      ? []
      : ipc === 'host'
        ? [{ destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'rprivate'] }]
        : [{ destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] }];
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      // gid 5 (tty) exists only where the namespace maps it: not in a rootless single-id one.
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', ...(engineMode().mappedIds > 5 ? ['gid=5'] : [])],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    ...shm,
  ];
}

/** /etc/hostname, /etc/hosts and /etc/resolv.conf live beside the container, bind-mounted in. */
function fileMounts(dir: string): Mount[] {
  return ['resolv.conf', 'hostname', 'hosts'].map((f) => ({
    destination: `/etc/${f}`,
    type: 'bind',
    source: `${dir}/${f}`,
    options: ['rbind', 'rprivate'],
  }));
}

/** The OCI mounts: binds of host paths and volumes' data, tmpfs mounts. */
export function specMounts(mounts: readonly MountPoint[]): Mount[] {
  return mounts.map((m) =>
    m.Type === 'tmpfs'
      ? { destination: m.Destination, type: 'tmpfs', source: 'tmpfs', options: m.RW ? m.Options : [...m.Options.filter((o) => o !== 'rw'), 'ro'] }
      : { destination: m.Destination, type: 'bind', source: m.Source, options: ['rbind', ...(m.RW ? [] : ['ro']), 'rprivate'] },
  );
}
