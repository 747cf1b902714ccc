// The shapes `inspect` returns: Docker's field names, so what a user knows
// from `docker inspect` reads the same here (and scripts keep working).

/** Docker's HEALTHCHECK settings (the image's, or the container's Config.Healthcheck); durations in nanoseconds. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

/** Docker's HostConfig.RestartPolicy. */
export interface RestartPolicy {
  Name: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

/** A --device as Docker records it in HostConfig.Devices. */
export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

/** A --ulimit as Docker records it (-1: unlimited). */
export interface UlimitJson {
  Name: string;
  Hard: number;
  Soft: number;
}

/** HostConfig's security options, Docker's names. */
export interface HostSecurityJson {
  /** Normalised "CAP_X" names, or "ALL". */
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  /** As Docker keeps them: "no-new-privileges", "seccomp=unconfined", "seccomp=<profile JSON>"... */
  SecurityOpt: string[] | null;
  ReadonlyRootfs: boolean;
  GroupAdd: string[] | null;
  Ulimits: UlimitJson[] | null;
  /** Bytes of /dev/shm. */
  ShmSize: number;
  /** --init: a small init as PID 1 that reaps and forwards signals. */
  Init: boolean | null;
}

/** HostConfig's resource limits, Docker's names (0 or null: none). */
export interface HostResourcesJson {
  Memory: number;
  /** Memory plus swap; -1 unlimited swap. */
  MemorySwap: number;
  MemoryReservation: number;
  OomKillDisable: boolean;
  PidsLimit: number | null;
  NanoCpus: number;
  CpuShares: number;
  CpusetCpus: string;
  BlkioWeight: number;
  CpuPeriod: number;
  CpuQuota: number;
  CpuRealtimePeriod: number;
  CpuRealtimeRuntime: number;
  CpusetMems: string;
  /** null: the kernel's own (Docker's -1). */
  MemorySwappiness: number | null;
  BlkioWeightDevice: Array<{ Path: string; Weight: number }>;
  BlkioDeviceReadBps: ThrottleDeviceJson[] | null;
  BlkioDeviceWriteBps: ThrottleDeviceJson[] | null;
  BlkioDeviceReadIOps: ThrottleDeviceJson[] | null;
  BlkioDeviceWriteIOps: ThrottleDeviceJson[] | null;
}

export interface ThrottleDeviceJson {
  Path: string;
  Rate: number;
}

export interface ContainerConfigJson {
  Hostname: string;
  Domainname: string;
  MacAddress?: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  ExposedPorts?: Record<string, object>;
  /** The image's HEALTHCHECK merged with --health-* (absent when neither says). */
  Healthcheck?: HealthConfig;
}

/** One run of the health check (the last five are kept). */
export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface ContainerHealthJson {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  Log: HealthLogEntry[];
}

export interface ContainerStateJson {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  /** Present once a container with a health check has started. */
  Health?: ContainerHealthJson;
}

export interface MountJson {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** A volume's name. */
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: 'local';
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/** A container's place on one network (Docker's EndpointSettings). */
export interface EndpointSettingsJson {
  IPAMConfig: { IPv4Address: string } | null;
  Links: null;
  Aliases: string[] | null;
  MacAddress: string;
  DriverOpts: null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  DNSNames: string[] | null;
}

export type PortMapJson = Record<string, { HostIp: string; HostPort: string }[] | null>;

export interface NetworkSettingsJson {
  Bridge: string;
  SandboxID: string;
  /** The network namespace's file: run/<id>/network/netns while it runs. */
  SandboxKey: string;
  Ports: PortMapJson;
  HairpinMode: false;
  LinkLocalIPv6Address: string;
  LinkLocalIPv6PrefixLen: number;
  SecondaryIPAddresses: null;
  SecondaryIPv6Addresses: null;
  EndpointID: string;
  Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  MacAddress: string;
  Networks: Record<string, EndpointSettingsJson>;
}

export interface NetworkInspect {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: 'default'; Options: Record<string, string>; Config: { Subnet: string; Gateway: string }[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

export interface VolumeInspect {
  CreatedAt: string;
  Driver: 'local';
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
}

export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerStateJson;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string;
  RestartCount: number;
  Driver: 'overlay2';
  Platform: 'linux';
  HostConfig: HostSecurityJson &
    HostResourcesJson & {
    Binds: string[] | null;
    NetworkMode: string;
    PortBindings: PortMapJson;
    PublishAllPorts: boolean;
    Dns: string[];
    DnsOptions: string[];
    DnsSearch: string[];
    ExtraHosts: string[] | null;
    VolumesFrom: string[] | null;
    AutoRemove: boolean;
    RestartPolicy: RestartPolicy;
    Privileged: boolean;
    Devices: DeviceMapping[];
    LogConfig: { Type: string; Config: Record<string, string> };
    CgroupParent: string;
    IpcMode: string;
    PidMode: string;
    UTSMode: string;
    UsernsMode: string;
    CgroupnsMode: string;
    Sysctls?: Record<string, string>;
    OomScoreAdj: number;
    Runtime: string;
  };
  GraphDriver: {
    Name: 'overlay2';
    Data: { LowerDir: string; UpperDir: string; MergedDir: string; WorkDir: string };
  };
  /** With inspect -s: bytes in the writable layer, and that plus the image's layers. */
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: MountJson[];
  Config: ContainerConfigJson;
  NetworkSettings: NetworkSettingsJson;
}

/** The image config's `config` object, as OCI and Docker write it. */
export interface ImageRunConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  OnBuild?: string[] | null;
  Shell?: string[];
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  Author: string;
  Config: ImageRunConfig;
  Architecture: string;
  Os: string;
  Size: number;
  GraphDriver: { Name: 'overlay2'; Data: { LowerDir?: string; UpperDir: string; MergedDir: string; WorkDir: string } };
  RootFS: { Type: 'layers'; Layers: string[] };
  Metadata: { LastTagTime: string };
}
