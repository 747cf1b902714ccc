// The OCI runtime spec (config.json) the launcher runs, with Docker's
// defaults: the namespaces, mounts, devices, capabilities and masked paths a
// `docker run` container gets. Learners can open the file; the app shows it.

import type { ContainerSpecRecord, MountPoint } from '../store/containers';

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

const devices = [
  { path: '/dev/null', major: 1, minor: 3 },
  { path: '/dev/zero', major: 1, minor: 5 },
  { path: '/dev/full', major: 1, minor: 7 },
  { path: '/dev/random', major: 1, minor: 8 },
  { path: '/dev/urandom', major: 1, minor: 9 },
  { path: '/dev/tty', major: 5, minor: 0 },
].map((d) => ({ ...d, type: 'c', fileMode: 0o666, uid: 0, gid: 0 }));

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
  const caps = inp.user.uid === 0 ? defaultCapabilities : [];
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: c.Tty,
      user: inp.user,
      args,
      env: c.Env,
      cwd: c.WorkingDir || '/',
      capabilities: {
        bounding: defaultCapabilities,
        effective: caps,
        permitted: caps,
        inheritable: [],
        ambient: [],
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }],
      noNewPrivileges: false,
    },
    root: { path: `${inp.containerDir}/merged`, readonly: false },
    hostname: c.Hostname,
    mounts: [...defaultMounts(), ...fileMounts(inp.nameFilesDir), ...specMounts(inp.record.MountPoints ?? legacyBinds(host.Binds))],
    annotations: {
      'org.strata.overlay': inp.overlayData,
      'org.strata.overlay.cwd': inp.layersDir,
      'org.strata.stdin': String(inp.stdin),
    },
    linux: {
      namespaces: [
        ...['pid', 'ipc', 'uts', 'mount'].map((type) => ({ type })),
        ...(host.NetworkMode === 'host' ? [] : [{ type: 'network', ...(inp.netnsPath ? { path: inp.netnsPath } : {}) }]),
      ],
      devices,
      maskedPaths,
      readonlyPaths,
    },
  };
}

function defaultMounts(): Mount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
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

/** A container made before volumes had only -v SRC:DST[:MODE] binds. */
export function legacyBinds(binds: string[]): MountPoint[] {
  return binds.map((b) => {
    const [source, destination, mode = ''] = b.split(':');
    return { Type: 'bind', Name: '', Source: source, Destination: destination, RW: !mode.split(',').includes('ro'), Mode: mode, CopyData: false, Options: [] };
  });
}
