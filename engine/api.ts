// The one contract between the engine and every front end (CLI, Electron IPC,
// browser host). Each request names its argument schema (checked at run time
// by engine/rpc before the engine sees it) and its result type; each stream
// names its argument, the messages it sends and the input it takes. The
// bridges are generated from these maps, so front ends cannot drift apart.

import { s, type Infer, type Schema } from './rpc/schema';
import { invalidArgument } from './errors';
import type { ContainerInspect, ImageInspect, NetworkInspect, VolumeInspect } from './inspect';

// ---------------------------------------------------------------- arguments

const ref = s.string;

/** A container's resource limits (Docker's units: bytes, nano-CPUs), as run, create and update take them. */
const throttle = s.object({ path: s.string(), rate: s.integer() });

const resourceShape = {
  /** Bytes of memory (--memory); 0: no limit. */
  memory: s.optional(s.integer()),
  /** Memory plus swap (--memory-swap); -1: unlimited swap; unset with memory: twice memory. */
  memorySwap: s.optional(s.integer()),
  /** Soft limit (--memory-reservation). */
  memoryReservation: s.optional(s.integer()),
  /** --pids-limit; 0 or -1: no limit. */
  pidsLimit: s.optional(s.integer()),
  /** --cpus in billionths of a CPU. */
  nanoCpus: s.optional(s.integer()),
  /** Relative CPU weight (--cpu-shares, default 1024). */
  cpuShares: s.optional(s.integer()),
  /** CPUs it may run on, "0-2,4" (--cpuset-cpus). */
  cpusetCpus: s.optional(s.string()),
  /** Relative block I/O weight, 10 to 1000 (--blkio-weight). */
  blkioWeight: s.optional(s.integer()),
  /** CFS period and quota in microseconds (--cpu-period, --cpu-quota; a quota of -1: none), instead of --cpus. */
  cpuPeriod: s.optional(s.integer()),
  cpuQuota: s.optional(s.integer()),
  /** Real-time scheduling in microseconds (--cpu-rt-period, --cpu-rt-runtime; cgroup v1 only). */
  cpuRealtimePeriod: s.optional(s.integer()),
  cpuRealtimeRuntime: s.optional(s.integer()),
  /** Memory nodes it may use, "0-1" (--cpuset-mems). */
  cpusetMems: s.optional(s.string()),
  /** 0 to 100; -1: the kernel's (--memory-swappiness, run and create only). */
  memorySwappiness: s.optional(s.integer()),
  /** Per block device (by its path under /dev): a weight (--blkio-weight-device), and bytes or operations a second (--device-read-bps...); run and create only. */
  blkioWeightDevice: s.optional(s.array(s.object({ path: s.string(), weight: s.integer() }))),
  blkioDeviceReadBps: s.optional(s.array(throttle)),
  blkioDeviceWriteBps: s.optional(s.array(throttle)),
  blkioDeviceReadIOps: s.optional(s.array(throttle)),
  blkioDeviceWriteIOps: s.optional(s.array(throttle)),
};

/** A container's confinement beyond its limits; build gives RUN's containers these too (BuildOptions.stepLimits). */
const confinementShape = {
  /** Docker's --security-opt values: "no-new-privileges", "seccomp=unconfined", "seccomp=<profile JSON>", "apparmor=...", "label=...". */
  securityOpt: s.optional(s.array(s.string())),
  /** --ulimit: soft and hard limits by name ("nofile", "nproc"...); -1: unlimited. */
  ulimits: s.optional(s.array(s.object({ name: s.string(), soft: s.integer(), hard: s.integer() }))),
  /** Bytes of /dev/shm (--shm-size); 0: Docker's 64 MiB. */
  shmSize: s.optional(s.integer()),
};

/** What build's resource flags give RUN's containers: these fields of CreateOptions. */
const StepLimitsSchema = s.object({
  memory: resourceShape.memory,
  memorySwap: resourceShape.memorySwap,
  cpuShares: resourceShape.cpuShares,
  cpusetCpus: resourceShape.cpusetCpus,
  cpusetMems: resourceShape.cpusetMems,
  cpuPeriod: resourceShape.cpuPeriod,
  cpuQuota: resourceShape.cpuQuota,
  ...confinementShape,
});

/** Docker's PortBindings entry; HostPort '' (any free port) or "8000-8010" (any free port in it). */
export interface PortBinding {
  HostIp: string;
  HostPort: string;
}
/** "80/tcp" -> its bindings, as Docker's HostConfig.PortBindings. */
export type PortBindings = Record<string, PortBinding[]>;
const PortBindingsSchema = s.record(s.array(s.object({ HostIp: s.string(), HostPort: s.string() })));

/** One --mount, parsed (the CLI reads the CSV; engine/volume/mountSpec.ts). */
export const MountSchema = s.object({
  type: s.literal('bind', 'volume', 'tmpfs'),
  /** A bind's host path, a volume's name ('' or absent: a new anonymous volume). */
  source: s.optional(s.string()),
  target: s.string(),
  readOnly: s.optional(s.boolean()),
  /** volume-nocopy: a new volume is not seeded from the image. */
  noCopy: s.optional(s.boolean()),
  /** volume-label: labels for a volume this mount creates. */
  volumeLabels: s.optional(s.record(s.string())),
  /** tmpfs-size, in bytes. */
  tmpfsSize: s.optional(s.integer()),
  /** tmpfs-mode, the permission bits. */
  tmpfsMode: s.optional(s.integer()),
});
export type MountOptions = Infer<typeof MountSchema>;

export const CreateOptionsSchema = s.object({
  image: ref(),
  name: s.optional(s.string()),
  /** Replaces the image's Cmd when given (even empty array = no Cmd). */
  cmd: s.optional(s.array(s.string())),
  /** Replaces the image's Entrypoint; [] or [""] resets it, as --entrypoint "". */
  entrypoint: s.optional(s.array(s.string())),
  env: s.optional(s.array(s.string())),
  workingDir: s.optional(s.string()),
  user: s.optional(s.string()),
  hostname: s.optional(s.string()),
  tty: s.optional(s.boolean()),
  openStdin: s.optional(s.boolean()),
  /** As -v: "SRC:DST[:ro|rw]" binds, "NAME:DST[:ro]" named volumes, "/DST" anonymous volumes. */
  binds: s.optional(s.array(s.string())),
  /** --mount, parsed. */
  mounts: s.optional(s.array(MountSchema)),
  /** --tmpfs: destination -> mount options ("size=64m,mode=1777", or ''). */
  tmpfs: s.optional(s.record(s.string())),
  /** --volumes-from: "CONTAINER[:ro|rw]". */
  volumesFrom: s.optional(s.array(s.string())),
  /** "bridge" (the default), "none", "host", "container:NAME" or a user-defined network's name. */
  networkMode: s.optional(s.string()),
  /** --network-alias: more names for it on its (user-defined) network. */
  networkAliases: s.optional(s.array(s.string())),
  /** --ip: its address on its (user-defined) network. */
  ipv4Address: s.optional(s.string()),
  /** -p, parsed: "80/tcp" -> [{HostIp, HostPort}]. */
  portBindings: s.optional(PortBindingsSchema),
  /** -P: every exposed port on a free host port. */
  publishAll: s.optional(s.boolean()),
  /** --expose: more exposed ports ("80/tcp"). */
  exposedPorts: s.optional(s.array(s.string())),
  dns: s.optional(s.array(s.string())),
  dnsSearch: s.optional(s.array(s.string())),
  dnsOptions: s.optional(s.array(s.string())),
  /** --add-host "name:ip" ("host-gateway": the default bridge's gateway). */
  extraHosts: s.optional(s.array(s.string())),
  /** "HOST[:CONTAINER[:PERMS]]" host devices, as --device (PERMS: r, w, m; default rwm). */
  devices: s.optional(s.array(s.string())),
  /** Device cgroup rules added to the defaults: "c 1:3 mr", "a *:* rwm" (--device-cgroup-rule). */
  deviceCgroupRules: s.optional(s.array(s.string())),
  /** All capabilities, every host device, no masked or read-only paths, /sys read-write, as --privileged. */
  privileged: s.optional(s.boolean()),
  stopSignal: s.optional(s.string()),
  stopTimeout: s.optional(s.integer()),
  autoRemove: s.optional(s.boolean()),
  labels: s.optional(s.record(s.string())),
  /** Docker's HostConfig.RestartPolicy: name no, always, unless-stopped or on-failure (with a maximum retry count, 0 = no limit). */
  restartPolicy: s.optional(s.object({ name: s.string(), maximumRetryCount: s.optional(s.integer()) })),
  /**
   * Docker's Config.Healthcheck, merged with the image's HEALTHCHECK: test ["CMD", args...],
   * ["CMD-SHELL", command] or ["NONE"] (--no-healthcheck); durations in nanoseconds, 0 = the image's or Docker's default.
   */
  healthcheck: s.optional(
    s.object({
      test: s.optional(s.array(s.string())),
      interval: s.optional(s.integer()),
      timeout: s.optional(s.integer()),
      startPeriod: s.optional(s.integer()),
      retries: s.optional(s.integer()),
    }),
  ),
  /** NIS domain name (--domainname). */
  domainname: s.optional(s.string()),
  /** Namespaced sysctls, written inside the container before it runs (--sysctl). */
  sysctls: s.optional(s.record(s.string())),
  /** -1000..1000 (--oom-score-adj). */
  oomScoreAdj: s.optional(s.integer()),
  /** Namespaces: "" / private / shareable / none / host / container:NAME (ipc); host / container:NAME (pid); host (uts, userns); host / private (cgroupns). */
  ipcMode: s.optional(s.string()),
  pidMode: s.optional(s.string()),
  utsMode: s.optional(s.string()),
  usernsMode: s.optional(s.string()),
  cgroupnsMode: s.optional(s.string()),
  macAddress: s.optional(s.string()),
  /** Legacy links "NAME[:ALIAS]" (--link). */
  links: s.optional(s.array(s.string())),
  /** --log-driver (json-file, local, none; '' = json-file) and --log-opt. */
  logConfig: s.optional(s.object({ type: s.string(), config: s.record(s.string()) })),
  /** The OCI runtime that runs it: strata (the default), runc or crun. */
  runtime: s.optional(s.string()),
  /** Capabilities added to and dropped from Docker's default set: "NET_ADMIN", "CAP_CHOWN" or "ALL". */
  capAdd: s.optional(s.array(s.string())),
  capDrop: s.optional(s.array(s.string())),
  /** The container's root file system read-only (--read-only). */
  readOnly: s.optional(s.boolean()),
  /** More groups for the process, by name (in the container's /etc/group) or number (--group-add). */
  groupAdd: s.optional(s.array(s.string())),
  /** Run a small init as PID 1 that reaps zombies and forwards signals (--init). */
  init: s.optional(s.boolean()),
  oomKillDisable: s.optional(s.boolean()),
  ...resourceShape,
  ...confinementShape,
});
export type CreateOptions = Infer<typeof CreateOptionsSchema>;

/** `update`: new limits for a container, running or not; what is not given stays. */
export const UpdateOptionsSchema = s.object({ id: s.string(), ...resourceShape });
export type UpdateOptions = Infer<typeof UpdateOptionsSchema>;

const IdArg = s.object({ id: s.string() });

/** Docker's filter arguments: each key with its values (engine/filters/args.ts). */
const Filters = s.optional(s.record(s.array(s.string())));

export const ContainerListOptionsSchema = s.object({
  /** Stopped containers too (ps -a). */
  all: s.optional(s.boolean()),
  /** The n newest containers, whatever their state (ps -n). */
  limit: s.optional(s.integer()),
  /** Compute each one's writable layer and total size (ps -s). */
  size: s.optional(s.boolean()),
  /** id, name, label, status, ancestor, before, since, exited, health, volume, network, publish, expose, isolation, is-task. */
  filters: Filters,
});
export type ContainerListOptions = Infer<typeof ContainerListOptionsSchema>;

export const ExecOptionsSchema = s.object({
  id: s.string(),
  cmd: s.array(s.string()),
  env: s.optional(s.array(s.string())),
  workingDir: s.optional(s.string()),
  user: s.optional(s.string()),
  tty: s.optional(s.boolean()),
  /** Keep the process's stdin open for the stream's input. */
  stdin: s.optional(s.boolean()),
  /** Start it and return at once: no stdio, the stream ends when it started (exec -d). */
  detach: s.optional(s.boolean()),
  /** Every capability the engine holds, whatever the container has (exec --privileged). */
  privileged: s.optional(s.boolean()),
  /** Terminal size to start with, when tty. */
  rows: s.optional(s.integer()),
  cols: s.optional(s.integer()),
});
export type ExecOptions = Infer<typeof ExecOptionsSchema>;

export const CommitOptionsSchema = s.object({
  /** The container: name, id or unique id prefix. */
  id: s.string(),
  reference: s.optional(ref()),
  /** History comment (-m). */
  message: s.optional(s.string()),
  author: s.optional(s.string()),
  /** Dockerfile instructions applied to the new image's config (-c). */
  changes: s.optional(s.array(s.string())),
  /** Freeze a running container during the commit (default true). */
  pause: s.optional(s.boolean()),
});
export type CommitOptions = Infer<typeof CommitOptionsSchema>;

// ------------------------------------------------------------------ results

export interface NetworkCreate {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  labels?: Record<string, string>;
  options?: Record<string, string>;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** The states of a container whose monitor still runs it: its process runs, is frozen, or waits out a restart's back-off. */
export const liveStates = ['running', 'paused', 'restarting'] as const satisfies readonly ContainerState[];

export function isLive(state: string): boolean {
  return (liveStates as readonly string[]).includes(state);
}

export interface ImageSummary {
  id: string; // sha256:<hex> of the config
  repoTags: string[]; // "name:tag", empty for dangling and intermediate images
  repoDigests: string[]; // "name@sha256:<manifest>": what it was pulled or pushed as
  parentId: string; // '' when none
  created: number; // unix seconds, as the image's config records it
  added: number; // unix seconds, when this store got it (made, pulled, loaded): an image's files may be far older
  size: number; // bytes of all its layers, unpacked
  layers: number;
  containers: number;
  labels: Record<string, string>;
}

/** A port of a running container as `docker ps` lists it: published (ip and publicPort) or only exposed. */
export interface ContainerPort {
  ip?: string;
  privatePort: number;
  publicPort?: number;
  type: 'tcp' | 'udp';
}

export interface ContainerSummary {
  id: string; // 64 hex
  names: string[]; // without Docker's leading slash
  image: string; // what the user asked for (a tag or an id)
  imageId: string;
  command: string; // entrypoint + cmd, joined by spaces
  created: number; // unix seconds
  state: ContainerState;
  status: string; // Docker's human status: "Up 3 seconds", "Exited (0) 2 minutes ago"
  exitCode: number;
  labels: Record<string, string>;
  /** Each mount's volume name, or its source for a bind (the MOUNTS column). */
  mounts: string[];
  /** How many of its mounts are volumes (LOCAL VOLUMES). */
  localVolumes: number;
  networks: string[];
  /** While it runs: its exposed ports, published or not (the PORTS column). */
  ports: ContainerPort[];
  /** With `size`: bytes in its writable layer, and that plus its image's layers. */
  sizeRw?: number;
  sizeRootFs?: number;
}

export interface ChangeEntry {
  kind: 'A' | 'C' | 'D';
  path: string;
}

export interface ProcessTable {
  titles: string[];
  processes: string[][];
}

export interface SystemInfo {
  version: string;
  root: string;
  runRoot: string;
  /** root: the engine runs as root; rootless: as root of the user's own user namespace (rootless.ts). */
  mode: 'root' | 'rootless';
  kernel: string;
  /** none: a rootless engine without a delegated cgroup v2 subtree (pause and limits are refused). */
  cgroupFreezer: 'v1' | 'v2' | 'none';
  /** What this engine cannot do as set up, one line each (docker info's WARNING lines). */
  warnings: string[];
  images: number;
  containers: number;
  /** The OCI runtimes containers can be run by (--runtime): strata's own launcher, then runc and crun when installed. */
  runtimes: Array<{ name: string; path: string; version: string; commit: string }>;
}

/**
 * One container's resource use, as `docker stats` computes it from the
 * cgroup files: CPU over the last interval, memory without the page cache
 * that can be dropped (inactive files), bytes through its network
 * interfaces (loopback aside) and its block devices, its processes.
 */
export interface ContainerStats {
  id: string;
  name: string;
  /** Whether it runs: a stopped container (`stats -a`) reads all zeros. */
  running: boolean;
  /** 100 = one CPU busy over the interval. */
  cpuPercent: number;
  memoryUsage: number;
  /** Its memory limit, or the machine's memory when it has none. */
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  /** pids.max, or null when unlimited. */
  pidsLimit: number | null;
  /** Times the kernel's OOM killer killed one of its processes. */
  oomKills: number;
}

/** A `container.stats` sample: every watched container at one time (unix ms). */
export interface StatsSample {
  time: number;
  containers: ContainerStats[];
}

/** Where the starter image's programs come from: a busybox, or (smaller) this machine's own programs. */
export interface StarterSource {
  from: 'busybox' | 'host';
  /** The busybox file, or the host programs taken. */
  detail: string;
  /** One line: what the image lacks and the command that fixes it. */
  warning?: string;
}

/** One step of `history`, newest first; id is '<missing>' where no local image has that step on top. */
export interface ImageHistoryItem {
  id: string;
  created: number; // unix seconds, 0 when the history does not say
  createdBy: string;
  tags: string[];
  size: number; // bytes of the step's layer, 0 for metadata-only steps
  comment: string;
}

/** One thing `system check` found wrong, and what --repair does about it ('' when it cannot be repaired here). */
export interface CheckFinding {
  problem: string;
  repair: string;
  repaired: boolean;
}

/** One line of `rmi` and `image prune`: a tag removed, or an image (or layer, by chain id) deleted. */
export type ImageDeleteItem = { untagged: string } | { deleted: string };

export interface ImagePruneReport {
  deleted: ImageDeleteItem[];
  spaceReclaimed: number; // bytes of the layers deleted
}

export interface ContainerPruneReport {
  deleted: string[]; // container ids
  spaceReclaimed: number; // bytes of their writable layers
}

export interface DiskUsageImage {
  id: string;
  repoTags: string[];
  created: number; // unix seconds
  size: number; // all its layers
  sharedSize: number; // its layers that other images use too
  containers: number;
}

export interface DiskUsageContainer {
  id: string;
  names: string[];
  image: string;
  state: ContainerState;
  sizeRw: number; // bytes in its writable layer
  created: number; // unix seconds
}

export interface DiskUsageVolume {
  name: string;
  size: number; // bytes of its files
  links: number; // containers that mount it
}

/** `system df`: every layer counted once, images (top-level), containers and volumes. */
export interface DiskUsage {
  layersSize: number;
  images: DiskUsageImage[];
  containers: DiskUsageContainer[];
  volumes: DiskUsageVolume[];
}

// ------------------------------------------------------- networks and volumes

/** One published port, as netavark forwards it. */
export interface PublishedPort {
  hostIp: string; // '0.0.0.0' for every address
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** A running container's place on a network. */
export interface NetworkEndpoint {
  containerId: string;
  containerName: string;
  ip: string;
  prefixLength: number;
  mac: string;
  /** Its interface inside the container: eth0, eth1... */
  interface: string;
  /** Names its network's DNS answers for besides its own (user-defined networks). */
  aliases: string[];
  /** Ports published on the host that lead to it. */
  ports: PublishedPort[];
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: 'bridge' | 'host' | 'null';
  created: number; // unix nanoseconds
  /** The host's bridge interface ('' for host and none); it exists while a container is on the network. */
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
  /** Containers find each other by name (aardvark-dns): user-defined networks only, as Docker. */
  dns: boolean;
  predefined: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  endpoints: NetworkEndpoint[];
  /** Containers that join it when they start but do not run now. */
  stopped: { containerId: string; containerName: string }[];
}

export interface VolumeUser {
  containerId: string;
  containerName: string;
  destination: string;
  rw: boolean;
  running: boolean;
}

export interface VolumeSummary {
  name: string;
  driver: 'local';
  /** Its data on the host: volumes/<name>/_data under the engine root. */
  mountpoint: string;
  created: number; // unix nanoseconds
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
  /** Bytes of its files; -1 unless asked for. */
  size: number;
  users: VolumeUser[];
}

/** A network namespace as the kernel has it: the container's view of its network. */
export interface NetworkNamespaceView {
  /** "net:[4026532301]". */
  namespace: string;
  interfaces: { name: string; index: number; mac: string; mtu: number; up: boolean; addresses: string[]; peer?: string }[];
  routes: { destination: string; gateway?: string; device: string; source?: string; metric?: number }[];
}

/** One image an archive held, as `load` reports it. */
export interface LoadedImage {
  id: string;
  repoTags: string[];
  /** Tags that pointed at another image before the load. */
  replaced: Array<{ tag: string; previousId: string }>;
}

/** A piece of a file the engine streams out (save, export). */
export interface ByteChunk {
  data: Uint8Array;
}

/** What `cp` finds at a path in a container (`docker container stat`); a final symlink is not followed. */
export interface ContainerPathStat {
  name: string;
  size: number;
  /** st_mode, type bits included. */
  mode: number;
  mtime: string; // RFC 3339
  /** For a symlink: where it leads, resolved inside the container ('' otherwise). */
  linkTarget: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
}

/**
 * What a stream that takes a file takes: its bytes in pieces, then its end.
 * `cp` into a container sends a tar this way (container.extract), and the
 * app a file the person picked in the browser (image.loadStream,
 * image.importStream): never a path, so the engine reads no host file on
 * the sender's behalf.
 */
export type UploadInput = { data: Uint8Array } | { end: true };
export const UploadInputSchema: Schema<UploadInput> = {
  kind: 'upload input',
  isOptional: false,
  parse(v, p) {
    if (typeof v === 'object' && v !== null) {
      if ('data' in v) return s.object({ data: s.bytes() }).parse(v, p);
      if ('end' in v && s.object({ end: s.boolean() }).parse(v, p).end) return { end: true };
    }
    throw invalidArgument(`invalid argument ${p || 'input'}: expected {data} or {end: true}`);
  },
};

// ------------------------------------------------------- app views (results)

/**
 * A layer of a stack: its index from the bottom (0 = base); for a container
 * also its init layer (the mount points the launcher binds onto, Docker's
 * `<id>-init`) and its writable layer.
 */
export type LayerRef = number | 'init' | 'rw';

/** One step of an image's history, bottom to top: a layer, or a metadata-only step (ENV, CMD...). */
export interface StackEntry {
  kind: 'layer' | 'metadata';
  layerIndex: number | null; // null for metadata steps
  createdBy: string;
  created: string; // RFC 3339, '' when the history does not say
  comment: string;
  size: number; // bytes of the layer's unpacked files; 0 for metadata steps
  diffId?: string;
  chainId?: string;
  parentChainId?: string; // the layer below; absent for the base layer
  dir?: string; // host path of the unpacked layer (an overlay lowerdir)
  wasted?: number; // bytes of this layer's files that a later layer overwrites or deletes
}

export interface ImageStack {
  id: string;
  repoTags: string[];
  created: number; // unix seconds, from its config (0 when it does not say)
  added: number; // unix seconds, when this store got it
  entries: StackEntry[];
  size: number;
  wastedBytes: number;
  efficiency: number; // 0..1: share of the stack's bytes a container can see
}

/** A path in one layer's own files, compared with the layers below it. */
export interface LayerFile {
  path: string; // absolute, as the container sees it
  kind: 'A' | 'M' | 'D';
  type: 'file' | 'dir' | 'symlink' | 'other' | 'whiteout' | 'opaque';
  size: number;
}

/** One entry of a merged (union) directory listing, with where it comes from. */
export interface TreeEntry {
  name: string;
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** The layer whose copy the container sees, or the one that deleted it. */
  layer: LayerRef;
  /** Lower layers that also have this path and whose copy it hides (top first). Merged dirs hide nothing. */
  hides: LayerRef[];
  /** Lower layers whose directory of the same name is merged into this one (dirs only, top first). */
  mergedWith: LayerRef[];
  /** A whiteout: `layer` deleted this path; a container does not see it. */
  deleted: boolean;
  /** An opaque directory: `layer` replaced it, hiding everything below. */
  opaque: boolean;
  linkTarget?: string;
}

/** A lower layer's own copy of a path, which an upper layer's copy hides. */
export interface FileCopy {
  layer: LayerRef;
  hostPath: string;
  type: TreeEntry['type'];
  size: number;
}

/** One path of a merged view in detail: what a person sees on clicking it. */
export interface FileDetails {
  path: string;
  name: string;
  type: TreeEntry['type'];
  size: number;
  /** A whiteout (or an opaque directory above) deletes it: a container does not see it. */
  deleted: boolean;
  /** The layer whose copy a container sees; for a deleted path, the layer that deletes it. */
  layer: LayerRef;
  /** That copy on the host (for a deleted path, the whiteout, or the opaque directory). */
  hostPath: string;
  /** st_mode with the type bits, owner, and modification time (RFC 3339) of that copy. */
  mode: number;
  uid: number;
  gid: number;
  modified: string;
  /** Lower layers' own copies it hides, top first. No image layer among them and layer 'rw': in no image layer. */
  hides: FileCopy[];
  /** For a directory: lower layers whose copy merges into it. */
  mergedWith: LayerRef[];
  linkTarget?: string;
  /** The first bytes of a regular file, and whether there is more. */
  preview?: { data: Uint8Array; truncated: boolean };
}

export interface ImageGraphNode {
  id: string;
  repoTags: string[];
  parentId: string;
  chainIds: string[]; // bottom first
  created: number; // unix seconds
}

export interface ContainerProcess {
  pid: number; // on the host
  nsPid: number; // inside the container's pid namespace
  ppid: number; // host pid of the parent
  user: string;
  cmd: string;
}

export interface ProcessSpace {
  /** Namespace kind -> the kernel's name for it, e.g. pid -> "pid:[4026532301]". */
  namespaces: Record<string, string>;
  /** The same for the engine's own process, to compare with: a match means shared with the host. */
  hostNamespaces: Record<string, string>;
  processes: ContainerProcess[];
  /** Its network namespace's interfaces and routes (none when it shares the host's). */
  network: NetworkNamespaceView | null;
}

// ------------------------------------------------------------------ lifecycle

// Docker's container lifecycle: which operation each state allows, and the
// words Docker uses when it refuses. One table, so the CLI, the app's
// disabled buttons and the engine's checks all say the same thing.
//
//   created ──start──▶ running ──pause──▶ paused
//      ▲                │   ▲ ◀──unpause──┘ │
//      │              stop/kill/exit        │ stop/kill (thawed to let the signal in)
//      │                ▼   │               ▼
//      └─────────────── exited ◀────────────┘
//   exit with a restart policy that says so: running ──▶ restarting ──back-off──▶ running
//   (stop, kill, rm -f: restarting ──▶ exited)
//   rm: created | exited | dead (running, paused or restarting only with force)

export type Operation = 'start' | 'stop' | 'kill' | 'pause' | 'unpause' | 'restart' | 'remove' | 'exec' | 'attach' | 'commit' | 'export';

/** A container waiting out its restart policy's back-off has no process to act on. */
const restartingRefusal = (ref: string) => `Container ${ref} is restarting, wait until the container is running`;

/** Why Docker would refuse `op` on a container in `state`, or undefined when it is allowed. */
export function refusal(op: Operation, state: ContainerState, ref: string, force = false): string | undefined {
  const running = isLive(state);
  switch (op) {
    case 'start':
      if (state === 'paused') return 'cannot start a paused container, try unpause instead';
      if (state === 'removing') return `container ${ref} is marked for removal and cannot be started`;
      if (state === 'dead') return `container ${ref} is marked for removal and cannot be started`;
      return undefined;
    case 'stop':
    case 'restart':
      return undefined; // stopping a stopped container is a no-op, as in Docker
    case 'kill':
      return running ? undefined : `Cannot kill container: ${ref}: Container ${ref} is not running`;
    case 'pause':
      if (state === 'paused') return `Container ${ref} is already paused`;
      if (state === 'restarting') return restartingRefusal(ref);
      return state === 'running' ? undefined : `Container ${ref} is not running`;
    case 'unpause':
      return state === 'paused' ? undefined : `Container ${ref} is not paused`;
    case 'remove':
      // With force, a removal cut short by a crash can be finished.
      if (state === 'removing' && !force) return `removal of container ${ref} is already in progress`;
      if (running && !force) {
        return `cannot remove container "/${ref}": container is running: stop the container before removing or force remove`;
      }
      return undefined;
    case 'exec':
      if (state === 'paused') return `Container ${ref} is paused, unpause the container before exec`;
      if (state === 'restarting') return restartingRefusal(ref);
      return state === 'running' ? undefined : `Container ${ref} is not running`;
    case 'attach':
      if (state === 'paused') return `You cannot attach to a paused container, unpause it first`;
      if (state === 'restarting') return 'You cannot attach to a restarting container, wait until it is running';
      return state === 'running' ? undefined : 'You cannot attach to a stopped container, start it first';
    case 'commit':
    case 'export':
      return state === 'removing' || state === 'dead' ? `Container ${ref} is ${state}` : undefined;
  }
}

// -------------------------------------------------------------- registries

export const PullOptionsSchema = s.object({
  reference: ref(),
  /** os[/arch[/variant]]: the image of a multi-platform index for another platform than this machine's. */
  platform: s.optional(s.string()),
  /** Every tag of the repository (`pull -a`). */
  allTags: s.optional(s.boolean()),
});
export type PullOptions = Infer<typeof PullOptionsSchema>;

export const PushOptionsSchema = s.object({
  reference: ref(),
  /** Every local tag of the repository (`push -a`). */
  allTags: s.optional(s.boolean()),
});
export type PushOptions = Infer<typeof PushOptionsSchema>;

/** What Docker says about one layer of a pull or push, in its words. */
export type LayerStatus =
  | 'Pulling fs layer'
  | 'Waiting'
  | 'Downloading'
  | 'Verifying Checksum'
  | 'Download complete'
  | 'Extracting'
  | 'Pull complete'
  | 'Already exists'
  | 'Preparing'
  | 'Pushing'
  | 'Pushed'
  | 'Layer already exists'
  | 'Skipped foreign layer'
  | `Mounted from ${string}`
  | `Retrying in ${number} second${'' | 's'}`;

/**
 * A line of a pull's or push's progress, as Docker's CLI prints it: a line
 * of its own ("latest: Pulling from library/ubuntu" has id "latest"), or one
 * layer's line, redrawn in place on a terminal ("0c178cf6f84b: Downloading").
 * `current`/`total` are bytes; on a terminal they draw the progress bar.
 */
export type TransferLine =
  | { type: 'status'; text: string; id?: string }
  | { type: 'layer'; id: string; digest: string; status: LayerStatus; current?: number; total?: number; bytesPerSecond?: number };

/** One layer of the image a pull is bringing, bottom first. */
export interface PullLayer {
  /** The compressed blob's digest (what the registry serves; Docker's layer id is its first 12 hex). */
  digest: string;
  size: number;
  mediaType: string;
  diffId: string;
  chainId: string;
  /** The history step that made it ('' when the config does not say). */
  createdBy: string;
  /** Already in the store: not downloaded again. */
  exists: boolean;
  /** Images here whose stacks already hold this layer (tags, else short ids). */
  sharedWith: string[];
}

/** A pull's progress: the lines Docker prints, the image it found (once per image), and the end of each image. */
export type PullMessage =
  | TransferLine
  | { type: 'image'; reference: string; repository: string; platform: string; manifestDigest: string; imageId: string; layers: PullLayer[] }
  | { type: 'pulled'; reference: string; imageId: string; digest: string; upToDate: boolean };

/** A push's progress: Docker's lines, and for each tag the manifest it made. */
export type PushMessage = TransferLine | { type: 'pushed'; reference: string; tag: string; digest: string; size: number };

/** One repository of a registry's search answer (`strata search`). */
export interface SearchResult {
  name: string;
  description: string;
  starCount: number;
  isOfficial: boolean;
  isAutomated: boolean;
}

export interface LoginResult {
  /** "Login Succeeded". */
  status: string;
  /** The key the credentials are kept under ("localhost:5000", Docker Hub's "https://index.docker.io/v1/"). */
  server: string;
  /** Set when they went into config.json in plain text (no credential helper): the CLI warns. */
  plainTextFile?: string;
}

// --------------------------------------------------------- Docker Engine API

/** The Docker API service of one engine root: `strata system service`, started from a terminal or the app. */
export interface DockerApiStatus {
  running: boolean;
  /** Where it listens, or would: unix:///PATH (or tcp://127.0.0.1:PORT). */
  address: string;
  /** What a shell exports for docker, compose and docker-py to use it. */
  dockerHost: string;
  pid?: number;
  /** Unix nanoseconds. */
  since?: number;
  /** Who may open the socket: "root and group strata", or "root only". */
  access?: string;
}

/** How long `container.waitUntil` waits: Docker's wait conditions. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

// ----------------------------------------------------------------- requests

/** A request: its argument's schema, and its result type (a phantom, types only). */
function request<A, R>(arg: Schema<A>): { arg: Schema<A>; result: R } {
  return { arg, result: undefined as R };
}

export const requests = {
  'system.info': request<Record<string, never>, SystemInfo>(s.object({})),

  /** Images, newest first; filters: dangling, label, before, since, reference. */
  'image.list': request<{ all?: boolean; filters?: Record<string, string[]> }, ImageSummary[]>(
    s.object({ all: s.optional(s.boolean()), filters: Filters }),
  ),
  'image.inspect': request<{ ref: string }, ImageInspect>(s.object({ ref: ref() })),
  /** Import a root filesystem tarball (path may be /dev/stdin) as a one-layer image. */
  'image.import': request<
    { path: string; reference?: string; changes?: string[]; message?: string; platform?: string },
    { id: string }
  >(
    s.object({
      path: s.string(),
      reference: s.optional(ref()),
      changes: s.optional(s.array(s.string())),
      message: s.optional(s.string()),
      platform: s.optional(s.string()),
    }),
  ),
  /** Make the starter image from this machine's programs; `warning` says what it lacks without busybox. */
  'image.bootstrap': request<{ reference?: string }, { id: string; reference: string; warning?: string }>(
    s.object({ reference: s.optional(ref()) }),
  ),
  /** Where `image.bootstrap` would take the starter image's programs from here, and what it would lack. */
  'image.starterSource': request<Record<string, never>, StarterSource>(s.object({})),
  'image.history': request<{ ref: string }, ImageHistoryItem[]>(s.object({ ref: ref() })),
  'image.tag': request<{ source: string; target: string }, void>(s.object({ source: ref(), target: ref() })),
  /** `rmi`: untags, then deletes the image and its unused layers when Docker's rules allow. */
  'image.remove': request<{ ref: string; force?: boolean; noPrune?: boolean }, ImageDeleteItem[]>(
    s.object({ ref: ref(), force: s.optional(s.boolean()), noPrune: s.optional(s.boolean()) }),
  ),
  /** Deletes dangling images; with all, every image no container uses; filters: until, label, label!, dangling. */
  'image.prune': request<{ all?: boolean; filters?: Record<string, string[]> }, ImagePruneReport>(
    s.object({ all: s.optional(s.boolean()), filters: Filters }),
  ),
  /** `save -o`: the images as one archive (Docker 25+ format) at an absolute path, put in place once complete. */
  'image.saveFile': request<{ refs: string[]; path: string }, void>(s.object({ refs: s.array(ref()), path: s.string() })),
  /** `load`: a Docker (legacy or 25+) archive or an OCI layout tar, from a path (/dev/stdin: the engine process's input). */
  'image.load': request<{ path: string }, LoadedImage[]>(s.object({ path: s.string() })),
  'system.df': request<Record<string, never>, DiskUsage>(s.object({})),
  /**
   * The store against the disk, the containers against their files, monitors, cgroups and mounts; with
   * repair, what can be repaired is (verifyContent: every blob hashed against its name).
   */
  'system.check': request<{ repair?: boolean; verifyContent?: boolean }, { findings: CheckFinding[] }>(
    s.object({ repair: s.optional(s.boolean()), verifyContent: s.optional(s.boolean()) }),
  ),
  /** What dockerd does as it starts: the containers whose restart policy says so are started (run it at boot). */
  'system.boot': request<Record<string, never>, { started: string[]; failed: { name: string; error: string }[] }>(s.object({})),

  /** Filters: dangling, driver, id, label, name, scope, type (engine/filters/networks.ts). */
  'network.list': request<{ filters?: Record<string, string[]> }, NetworkSummary[]>(s.object({ filters: Filters })),
  /** Docker's `network inspect` object. */
  'network.inspect': request<{ ref: string }, NetworkInspect>(s.object({ ref: s.string() })),
  'network.create': request<NetworkCreate, { id: string }>(
    s.object({
      name: s.string(),
      driver: s.optional(s.string()),
      subnet: s.optional(s.string()),
      gateway: s.optional(s.string()),
      internal: s.optional(s.boolean()),
      labels: s.optional(s.record(s.string())),
      options: s.optional(s.record(s.string())),
    }),
  ),
  'network.remove': request<{ ref: string }, void>(s.object({ ref: s.string() })),
  /** Removes user-defined networks no running container is on. */
  /** Filters: until, label, label!. */
  'network.prune': request<{ filters?: Record<string, string[]> }, { deleted: string[] }>(s.object({ filters: Filters })),
  'network.connect': request<{ network: string; container: string; aliases?: string[]; ipv4Address?: string }, void>(
    s.object({ network: s.string(), container: s.string(), aliases: s.optional(s.array(s.string())), ipv4Address: s.optional(s.string()) }),
  ),
  'network.disconnect': request<{ network: string; container: string; force?: boolean }, void>(
    s.object({ network: s.string(), container: s.string(), force: s.optional(s.boolean()) }),
  ),

  /** Every volume; with size, the bytes each holds (a walk of its files). */
  /** Filters: dangling, name, driver, label (engine/filters/volumes.ts). */
  'volume.list': request<{ size?: boolean; filters?: Record<string, string[]> }, VolumeSummary[]>(s.object({ size: s.optional(s.boolean()), filters: Filters })),
  /** Docker's `volume inspect` object. */
  'volume.inspect': request<{ name: string }, VolumeInspect>(s.object({ name: s.string() })),
  'volume.create': request<{ name?: string; driver?: string; labels?: Record<string, string>; options?: Record<string, string> }, VolumeInspect>(
    s.object({ name: s.optional(s.string()), driver: s.optional(s.string()), labels: s.optional(s.record(s.string())), options: s.optional(s.record(s.string())) }),
  ),
  'volume.remove': request<{ name: string; force?: boolean }, void>(s.object({ name: s.string(), force: s.optional(s.boolean()) })),
  /** Removes volumes no container uses: anonymous ones, with all named ones too. */
  /** Filters: label, label!. */
  'volume.prune': request<{ all?: boolean; filters?: Record<string, string[]> }, { deleted: string[]; spaceReclaimed: number }>(
    s.object({ all: s.optional(s.boolean()), filters: Filters }),
  ),

  'container.list': request<ContainerListOptions, ContainerSummary[]>(ContainerListOptionsSchema),
  /** Removes every container that does not run; filters: until, label, label!. */
  'container.prune': request<{ filters?: Record<string, string[]> }, ContainerPruneReport>(s.object({ filters: Filters })),
  'container.create': request<CreateOptions, { id: string; warnings: string[] }>(CreateOptionsSchema),
  'container.start': request<{ id: string }, void>(IdArg),
  'container.stop': request<{ id: string; timeout?: number; signal?: string }, void>(
    s.object({ id: s.string(), timeout: s.optional(s.integer()), signal: s.optional(s.string()) }),
  ),
  'container.restart': request<{ id: string; timeout?: number; signal?: string }, void>(
    s.object({ id: s.string(), timeout: s.optional(s.integer()), signal: s.optional(s.string()) }),
  ),
  'container.kill': request<{ id: string; signal?: string }, void>(
    s.object({ id: s.string(), signal: s.optional(s.string()) }),
  ),
  'container.pause': request<{ id: string }, void>(IdArg),
  'container.unpause': request<{ id: string }, void>(IdArg),
  /** `rm`; with volumes (-v), the container's anonymous volumes go too; with link, only the legacy link /PARENT/ALIAS (rm --link). */
  'container.remove': request<{ id: string; force?: boolean; volumes?: boolean; link?: boolean }, void>(
    s.object({ id: s.string(), force: s.optional(s.boolean()), volumes: s.optional(s.boolean()), link: s.optional(s.boolean()) }),
  ),
  /** The container's writable layer becomes a new image on top of its image. */
  'container.commit': request<CommitOptions, { imageId: string }>(CommitOptionsSchema),
  /** `export -o`: the container's merged file system as one flat tar, written to an absolute path. */
  'container.exportFile': request<{ id: string; path: string }, void>(s.object({ id: s.string(), path: s.string() })),
  'container.rename': request<{ id: string; name: string }, void>(s.object({ id: s.string(), name: s.string() })),
  /** With size: SizeRw and SizeRootFs, as inspect -s. */
  'container.inspect': request<{ id: string; size?: boolean }, ContainerInspect>(s.object({ id: s.string(), size: s.optional(s.boolean()) })),
  'container.changes': request<{ id: string }, ChangeEntry[]>(IdArg),
  'container.wait': request<{ id: string }, { statusCode: number }>(IdArg),
  'container.top': request<{ id: string; psArgs?: string }, ProcessTable>(
    s.object({ id: s.string(), psArgs: s.optional(s.string()) }),
  ),
  /** New resource limits for a container; a running one gets them in its cgroups at once. */
  'container.update': request<UpdateOptions, { warnings: string[] }>(UpdateOptionsSchema),
  /** The OCI runtime spec (config.json) the launcher ran or will run. */
  'container.spec': request<{ id: string }, unknown>(IdArg),
  /** A running container's terminal size (its monitor resizes the pty; nothing happens without -t). */
  'container.resize': request<{ id: string; rows: number; cols: number }, void>(
    s.object({ id: s.string(), rows: s.integer(), cols: s.integer() }),
  ),

  // app views
  /** An image's history bottom to top: its layers (size, digests, host dir, wasted bytes) and metadata-only steps. */
  'image.stack': request<{ ref: string }, ImageStack>(s.object({ ref: ref() })),
  /** One layer's own files (layer = index from the bottom), compared with the layers below it. */
  'image.layerFiles': request<{ ref: string; layer: number }, LayerFile[]>(s.object({ ref: ref(), layer: s.integer() })),
  /** One directory of the image's merged view, each entry with the layer it comes from and the layers it hides. */
  'image.tree': request<{ ref: string; path: string }, TreeEntry[]>(s.object({ ref: ref(), path: s.string() })),
  /** One path of the image's merged view in detail: its layer, what it hides, its host path, its first bytes. */
  'image.file': request<{ ref: string; path: string }, FileDetails>(s.object({ ref: ref(), path: s.string() })),
  /** Every image with the ChainIDs of its stack: which image is built on which. */
  'image.graph': request<Record<string, never>, { nodes: ImageGraphNode[] }>(s.object({})),
  /** One directory of the container's merged view; its writable layer is 'rw'. */
  'container.tree': request<{ id: string; path: string }, TreeEntry[]>(s.object({ id: s.string(), path: s.string() })),
  /** One path of the container's merged view in detail (its writable layer is 'rw'). */
  'container.file': request<{ id: string; path: string }, FileDetails>(s.object({ id: s.string(), path: s.string() })),
  /** A running container's processes and namespaces, from /proc. */
  'container.processes': request<{ id: string }, ProcessSpace>(IdArg),
  /** `cp`: what is at a path in the container, resolved inside it; null when nothing is. */
  'container.pathStat': request<{ id: string; path: string }, ContainerPathStat | null>(s.object({ id: s.string(), path: s.string() })),

  // registries
  /** Checks the credentials with the registry (Docker Hub by default) and keeps them where the docker CLI does. */
  'registry.login': request<{ server?: string; username: string; password: string }, LoginResult>(
    s.object({ server: s.optional(s.string()), username: s.string(), password: s.string() }),
  ),
  /** Forgets a registry's credentials; removed: false when there were none. */
  'registry.logout': request<{ server?: string }, { server: string; removed: boolean }>(s.object({ server: s.optional(s.string()) })),
  /** Docker Hub's search (or the registry named in the term: "myhost:5000/term"). */
  'registry.search': request<
    { term: string; limit?: number; stars?: number; official?: boolean; automated?: boolean },
    SearchResult[]
  >(
    s.object({
      term: s.string(),
      limit: s.optional(s.integer()),
      stars: s.optional(s.integer()),
      official: s.optional(s.boolean()),
      automated: s.optional(s.boolean()),
    }),
  ),
  /** The manifest or index a reference names in its registry, byte for byte (`manifest inspect`). */
  'registry.manifest': request<{ reference: string }, { mediaType: string; digest: string; raw: string }>(s.object({ reference: ref() })),

  // the Docker Engine API service (engine/dockerapi), a process of its own
  /** Whether the Docker API service runs on this engine's store, where, and what DOCKER_HOST names it. */
  'dockerApi.status': request<Record<string, never>, DockerApiStatus>(s.object({})),
  /** Starts the service as a process of its own on the configured address (it outlives the app); its status once it listens. */
  'dockerApi.start': request<Record<string, never>, DockerApiStatus>(s.object({})),
  /** Stops the service running on this engine's store, whoever started it. */
  'dockerApi.stop': request<Record<string, never>, DockerApiStatus>(s.object({})),
} as const;

export type EngineRequests = {
  [K in keyof typeof requests]: {
    arg: Infer<(typeof requests)[K]['arg']>;
    result: (typeof requests)[K]['result'];
  };
};
export type RequestName = keyof EngineRequests;
export type ArgOf<K extends RequestName> = EngineRequests[K]['arg'];
export type ResultOf<K extends RequestName> = EngineRequests[K]['result'];

// ------------------------------------------------------------------ streams

/** Output of a container or exec process, then its end. */
export type StdioMessage =
  | { stream: 'stdout' | 'stderr'; data: Uint8Array }
  | { exit: number };

/** What a client sends into an attached process. */
export type StdioInput = { data: Uint8Array } | { resize: { rows: number; cols: number } } | { closeStdin: true };
export const StdioInputSchema: Schema<StdioInput> = {
  kind: 'stdio input',
  isOptional: false,
  parse(v, p) {
    if (typeof v === 'object' && v !== null) {
      if ('data' in v) return s.object({ data: s.bytes() }).parse(v, p);
      if ('resize' in v) return s.object({ resize: s.object({ rows: s.integer(), cols: s.integer() }) }).parse(v, p);
      if ('closeStdin' in v) return { closeStdin: true };
    }
    throw invalidArgument(`invalid argument ${p || 'input'}: expected {data}, {resize} or {closeStdin}`);
  },
};

/**
 * What an upload stream says back: how many bytes the engine has taken in so
 * far (a sender keeps a bounded window ahead of it, as TCP does), then once
 * the whole file is read, what it became.
 */
export type UploadMessage<R> = { received: number } | { done: R };

export interface LogLine {
  stream: 'stdout' | 'stderr';
  time: string; // RFC3339Nano
  data: Uint8Array;
  /** What log-opt labels/env added to the entry (json-file), shown by logs --details. */
  attrs?: Record<string, string>;
}

/**
 * What `image.build` takes. `context` is a directory; or '-' for the engine's
 * standard input: a tar, or (docker's `build - < Dockerfile`) a Dockerfile
 * with an empty context; or '' for an empty context, with `dockerfileText`.
 */
export const BuildOptionsSchema = s.object({
  context: s.string(),
  /** A directory context: absolute, or relative to it. A tar context: a path inside the tar. Default Dockerfile. */
  dockerfile: s.optional(s.string()),
  /** The Dockerfile itself (`-f -`), used instead of reading one from the context. */
  dockerfileText: s.optional(s.string()),
  tags: s.optional(s.array(ref())),
  /** --build-arg; null: named without a value (a declared ARG keeps its default). */
  buildArgs: s.optional(s.record(s.nullable(s.string()))),
  target: s.optional(s.string()),
  noCache: s.optional(s.boolean()),
  labels: s.optional(s.record(s.string())),
  /** Send only the final message, unless the build fails (then everything, as docker build -q). */
  quiet: s.optional(s.boolean()),
  /**
   * With context '-': read that context (a tar, maybe compressed, or a
   * Dockerfile) from this file instead of the engine's standard input. The
   * Docker API spools a /build request's body here.
   */
  contextFile: s.optional(s.string()),
  /** Pull every FROM image, even one that is here (--pull); an image that is not here is pulled anyway. */
  pull: s.optional(s.boolean()),
  /** os[/arch[/variant]] of the FROM images to pull (--platform). */
  platform: s.optional(s.string()),
  /** RUN's network: default or none (its own, empty), host (--network). */
  networkMode: s.optional(s.string()),
  /** Remove each step's container once the step succeeded (--rm, default true). */
  rm: s.optional(s.boolean()),
  /** Remove a failed step's container too (--force-rm). */
  forceRm: s.optional(s.boolean()),
  /** "name:ip" lines in the /etc/hosts of RUN's containers (--add-host). */
  extraHosts: s.optional(s.array(s.string())),
  /** Images to take steps from, as the classic builder's --cache-from (build/cacheFrom.ts). */
  cacheFrom: s.optional(s.array(s.string())),
  /** RUN's containers' limits and confinement (-m, --memory-swap, -c, --cpuset-cpus, --security-opt, --shm-size, --ulimit). */
  stepLimits: s.optional(StepLimitsSchema),
});
export type BuildOptions = Infer<typeof BuildOptionsSchema>;

/**
 * A build's progress, in order. `step` is Docker's N of `Step N/M`. A step
 * ends with `image` (the image it made or reused); a failed step sends
 * `error` (with the exit code the CLI exits with) before the stream ends
 * with the error; a successful build ends with `built`.
 */
export type BuildMessage =
  | { type: 'step'; step: number; steps: number; instruction: string }
  | { type: 'triggers'; step: number; count: number } // ONBUILD triggers of the FROM image, run now
  | { type: 'cache'; step: number; hit: boolean }
  | { type: 'container'; step: number; id: string } // the step runs in this (intermediate) container
  | { type: 'output'; step: number; stream: 'stdout' | 'stderr'; text: string } // one line, with its newline
  | { type: 'removed'; step: number; id: string } // the intermediate container is gone
  | { type: 'image'; step: number; id: string; base: boolean; cached: boolean; emptyLayer: boolean; size: number; durationMs: number }
  | { type: 'warning'; text: string }
  | { type: 'error'; step: number; message: string; exitCode: number }
  | { type: 'built'; id: string; tags: string[]; durationMs: number };

export const streams = {
  /** Start a created or exited container with its stdio attached from the first byte (run, start -a). */
  'container.startAttached': {
    arg: s.object({ id: s.string(), stdin: s.optional(s.boolean()), rows: s.optional(s.integer()), cols: s.optional(s.integer()) }),
    out: undefined as unknown as StdioMessage,
    input: StdioInputSchema,
  },
  /** Attach to a running container's stdio. */
  'container.attach': {
    arg: s.object({ id: s.string(), stdin: s.optional(s.boolean()) }),
    out: undefined as unknown as StdioMessage,
    input: StdioInputSchema,
  },
  /** Run one more process in a running container (exec). Ends with {exit}. */
  'container.exec': {
    arg: ExecOptionsSchema,
    out: undefined as unknown as StdioMessage,
    input: StdioInputSchema,
  },
  /** The container's log (json-file or local, rotated files included); since/until in unix nanoseconds. */
  'container.logs': {
    arg: s.object({
      id: s.string(),
      follow: s.optional(s.boolean()),
      tail: s.optional(s.integer()),
      since: s.optional(s.number()),
      until: s.optional(s.number()),
    }),
    out: undefined as unknown as LogLine,
    input: undefined as unknown as Schema<never>,
  },
  /** `save`: the images as one archive (Docker 25+ format), in pieces. */
  'image.save': {
    arg: s.object({ refs: s.array(ref()) }),
    out: undefined as unknown as ByteChunk,
    input: undefined as unknown as Schema<never>,
  },
  /** `export`: the container's merged file system as one flat tar, in pieces. */
  'container.export': {
    arg: IdArg,
    out: undefined as unknown as ByteChunk,
    input: undefined as unknown as Schema<never>,
  },
  /** `load` of an archive the app uploads (docker-archive, legacy or 25+, or an OCI layout tar). */
  'image.loadStream': {
    arg: s.object({}),
    out: undefined as unknown as UploadMessage<LoadedImage[]>,
    input: UploadInputSchema,
  },
  /** `import` of a root filesystem tarball the app uploads, as a one-layer image. */
  'image.importStream': {
    arg: s.object({
      reference: s.optional(ref()),
      changes: s.optional(s.array(s.string())),
      message: s.optional(s.string()),
    }),
    out: undefined as unknown as UploadMessage<{ id: string }>,
    input: UploadInputSchema,
  },
  /** `cp CONTAINER:PATH ...`: the entry at the path (symlinks on the way resolved inside the container) as a tar. */
  'container.archive': {
    arg: s.object({ id: s.string(), path: s.string() }),
    out: undefined as unknown as ByteChunk,
    input: undefined as unknown as Schema<never>,
  },
  /** `cp ... CONTAINER:PATH`: the tar sent as input, extracted into the directory at the path. Ends when done. */
  'container.extract': {
    arg: s.object({ id: s.string(), path: s.string(), noOverwriteDirNonDir: s.optional(s.boolean()), copyUIDGID: s.optional(s.boolean()) }),
    out: undefined as unknown as never,
    input: UploadInputSchema,
  },
  /** `build`: a Dockerfile into an image, step by step; the last message names the image. */
  'image.build': {
    arg: BuildOptionsSchema,
    out: undefined as unknown as BuildMessage,
    input: undefined as unknown as Schema<never>,
  },
  /** `pull`: an image (or every tag, allTags) from its registry into the store, layer by layer. Closing the stream cancels it. */
  'image.pull': {
    arg: PullOptionsSchema,
    out: undefined as unknown as PullMessage,
    input: undefined as unknown as Schema<never>,
  },
  /** `push`: an image's layers, config and manifest to the registry its name points at. Closing the stream cancels it. */
  'image.push': {
    arg: PushOptionsSchema,
    out: undefined as unknown as PushMessage,
    input: undefined as unknown as Schema<never>,
  },
  /**
   * Docker's wait: 'not-running' (now, if it does not run), 'next-exit' (the
   * end of its current or next run) or 'removed'. One message, then the end;
   * closing the stream stops waiting.
   */
  'container.waitUntil': {
    arg: s.object({ id: s.string(), condition: s.optional(s.literal('not-running', 'next-exit', 'removed')) }),
    out: undefined as unknown as { statusCode: number },
    input: undefined as unknown as Schema<never>,
  },
  /**
   * Resource use, a sample a second (`stats`): the containers named, or every
   * running one (all: and stopped ones), following those that start and
   * stop meanwhile; once: one sample (CPU over its first second), then the end.
   * intervalMs: time between samples (100 to 10000; Docker's second by default).
   */
  'container.stats': {
    arg: s.object({
      ids: s.optional(s.array(s.string())),
      all: s.optional(s.boolean()),
      once: s.optional(s.boolean()),
      intervalMs: s.optional(s.integer()),
    }),
    out: undefined as unknown as StatsSample,
    input: undefined as unknown as Schema<never>,
  },
  /**
   * Live changes to a container's writable layer (see UpperChange): nothing
   * for what is already there (container.changes has that), then each change
   * as it happens, until the container is removed (the stream then ends).
   */
  'container.upperChanges': {
    arg: IdArg,
    out: undefined as unknown as UpperChange,
    input: undefined as unknown as Schema<never>,
  },
  /**
   * The engine's event stream: stored events from `since` (unix nanoseconds)
   * are replayed first; with `until` the stream ends at that time. Filters:
   * container, event, image, label, type, volume, network, daemon...
   */
  events: {
    arg: s.object({ since: s.optional(s.number()), until: s.optional(s.number()), filters: Filters }),
    out: undefined as unknown as EngineEvent,
    input: undefined as unknown as Schema<never>,
  },
} as const;

export type EngineStreams = {
  [K in keyof typeof streams]: {
    arg: Infer<(typeof streams)[K]['arg']>;
    out: (typeof streams)[K]['out'];
    input: Infer<(typeof streams)[K]['input']>;
  };
};
export type StreamName = keyof EngineStreams;

// ------------------------------------------------------------------- events

export type EngineEvent =
  | {
      /** pull and push: a transfer's progress, its action the message's type (see PullMessage, PushMessage). */
      type: 'container' | 'image' | 'build' | 'pull' | 'push' | 'network' | 'volume';
      action: string;
      id: string;
      time: number; // unix nanoseconds
      attributes: Record<string, string>;
    }
  | {
      type: 'kernel';
      step: KernelStep | (string & {});
      /** The container (or, for commit and save, the image) the step was for. */
      id: string;
      time: number; // unix nanoseconds
      detail: Record<string, string>;
    };

/**
 * What the engine and its launcher really did to the kernel, one `kernel`
 * event per step, with the values really used (never reconstructed). Every
 * detail value is a string. `command` is the shell command that would do the
 * same by hand, where there is one; it is absent where none exists.
 *
 * At start, and at each restart its restart policy makes (launcher, in this
 * order; times are the start's, a restart's that of its `start` event):
 * - `clone`: flags ("CLONE_NEWNS|CLONE_NEWPID|..."), pid (host pid of the
 *   container's first process), command (`unshare --mount --pid ... --fork`).
 * - `namespaces`: one key per kind the process has, the kernel's name for it
 *   (`pid` = "pid:[4026532301]", also `mnt`, `net`, `uts`, `ipc`, `cgroup`),
 *   and `host.<kind>` = the host's own for comparison, command (`ls -l /proc/PID/ns`).
 * - `cgroup`: one per cgroup directory joined: path, pid, one key per limit
 *   file written before the process joined (e.g. `memory.limit_in_bytes` =
 *   "67108864", `pids.max` = "100"), command (`mkdir PATH && echo V > PATH/FILE && echo PID > PATH/cgroup.procs`).
 * - `devices`: cgroup, by ("devices.allow" or "bpf"), list (the rules).
 * - `netns_bind`: path; `network_up`: netns; `netavark`: action, attachment, ms.
 *   A root engine's container on networks gets `netns_create` (path, command)
 *   instead of `netns_bind`, before `clone`: its namespace is made first, so
 *   netavark sets it up while the container is made.
 * - `mount`: type, source, target (the container's path; before pivot_root it
 *   is below the overlay's target, as the commands show), data (the options
 *   string given to mount(2)), options (the spec's options: flags such as
 *   nosuid and ro, and data); for the root overlay options = data, and also
 *   lowerdir, upperdir, workdir (as passed: the short lowerdirs are relative
 *   to `cwd`), cwd; command (`cd CWD && mount -t overlay overlay -o DATA TARGET`,
 *   `mount --rbind -o rprivate SRC TARGET`, `mount -t proc -o nosuid,noexec,nodev proc TARGET`...).
 *   `mount_skipped`: the same keys, for a mount the kernel refused harmlessly.
 * - `mknod`: path, device ("1:3"), mode, command (`mknod -m MODE PATH c 1 3`).
 * - `mask`: path, with ("/dev/null" | "tmpfs"), command; `readonly`: path, command.
 * - `pivot_root`: new_root, put_old ("." : the old root stacked on the new
 *   one, then detached), command (`cd NEW && pivot_root . . && umount -l .`).
 * - `sethostname`: hostname, command; `link_up`: interface, command.
 * - `rlimit_clamped`: type, soft, hard.
 * - `capabilities`: uid, gid, effective, bounding (comma-separated CAP_ names,
 *   "" when none), effective.mask and bounding.mask (the 64-bit masks, hex),
 *   command (`setpriv --bounding-set -all,+chown,...`).
 * - `seccomp`: profile ("default" | "custom"), syscalls (how many the filter
 *   names), instructions, defaultAction, arches, compileMicros, installMicros.
 * - `init`: kind ("builtin" or the host init's path).
 * - `exec`: path, command (the process's argv as a shell line).
 * When the process ends (monitor; times are the end's): `exit`: exitCode, signal;
 * `exec_failed`: error; `network_down_failed`: error; `netavark` (action "teardown").
 *
 * Operations (engine):
 * - `signal`: signal ("SIGTERM"), number ("15"), pid, reason ("stop" |
 *   "stop-timeout": the SIGKILL after the grace period | "kill" | "remove":
 *   rm -f), command (`kill -TERM 4242`).
 * - `freeze`: file (the cgroup file written), state (what was written:
 *   "FROZEN"/"THAWED" to v1 freezer.state, "1"/"0" to v2 cgroup.freeze),
 *   freezer ("v1" | "v2"), command (`echo FROZEN > /sys/fs/cgroup/freezer/.../freezer.state`).
 * - `commit` (id = the new image): container, upperdir, files (tar entries
 *   written: files, dirs, links, whiteouts, opaque markers), size (bytes of
 *   the tar), diff_id (its sha256), chain_id, digest (the image config's: the
 *   image id); files "0" and diff_id "" when nothing changed (an empty layer);
 *   command (`tar -c -C UPPER . | sha256sum`: GNU tar's order and times
 *   differ, so by hand the digest differs). A running container's commit is
 *   between two `freeze` steps.
 * - `save` (id = the image): one per blob, once its bytes are in the archive
 *   (a layer's checked against its DiffID as they went): digest, kind
 *   ("config" | "manifest" | "layer"), path (in the archive), size, command (`sha256sum PATH`).
 * - `remove`: rm deleted the container's dir: dir, upperdir, command (`rm -rf DIR`).
 */
export type KernelStep =
  | 'clone' | 'namespaces' | 'cgroup' | 'devices' | 'netns_create' | 'netns_bind' | 'network_up' | 'netavark'
  | 'mount' | 'mount_skipped' | 'mknod' | 'mask' | 'readonly' | 'pivot_root' | 'sethostname' | 'link_up'
  | 'rlimit_clamped' | 'capabilities' | 'seccomp' | 'init' | 'exec' | 'exit' | 'exec_failed' | 'network_down_failed'
  | 'signal' | 'freeze' | 'commit' | 'save' | 'remove';

/**
 * One change in a container's writable layer (its overlay upperdir), as it
 * happens. `path` is the container's path (/etc/passwd); `hides` names the
 * layer whose copy is now hidden: an image layer's chain id ("sha256:…"),
 * or "<container id>-init" for the container's init layer (the mount points
 * of /etc/hostname, /etc/hosts, /etc/resolv.conf and their directories).
 * Several kernel events of one change are said once; changes faster than the
 * watch reads them are said as the layer is when read (a file made and
 * deleted at once may show only as removed).
 * - added: a file that no image layer has appeared;
 * - copied-up: a file an image layer has appeared in the upper dir (a write,
 *   chmod or rename made the kernel copy it up): the lower copy is hidden;
 * - modified: a file already in the upper dir was written;
 * - whiteout: a 0:0 character device appeared: the lower file is deleted;
 * - opaque: a directory got the opaque xattr: everything below it in the
 *   image layers is hidden;
 * - removed: a file only the upper dir had was deleted;
 * - unwatched: changes below `path` are no longer reported (`reason`: the
 *   watch limit was reached, or the kernel's event queue overflowed); `diff`
 *   still shows the truth.
 */
export type UpperChange =
  | {
      action: 'added' | 'copied-up' | 'modified' | 'whiteout' | 'opaque' | 'removed';
      path: string;
      kind: 'file' | 'dir' | 'symlink' | 'other';
      time: number; // unix milliseconds
      hides?: string;
    }
  | { action: 'unwatched'; path: string; kind: 'dir'; time: number; reason: string };
