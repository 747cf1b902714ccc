// The shapes `inspect` returns: Docker's field names, so what a user knows
// from `docker inspect` reads the same here (and scripts keep working).

/** A --device as Docker records it in HostConfig.Devices. */
export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

export interface ContainerConfigJson {
  Hostname: string;
  Domainname: string;
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
}

export interface MountJson {
  Type: 'bind';
  Source: string;
  Destination: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
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
  HostConfig: {
    Binds: string[] | null;
    NetworkMode: string;
    AutoRemove: boolean;
    Privileged: boolean;
    Devices: DeviceMapping[];
    LogConfig: { Type: 'json-file'; Config: Record<string, string> };
    CgroupParent: string;
  };
  GraphDriver: {
    Name: 'overlay2';
    Data: { LowerDir: string; UpperDir: string; MergedDir: string; WorkDir: string };
  };
  Mounts: MountJson[];
  Config: ContainerConfigJson;
  NetworkSettings: { Networks: Record<string, object> };
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
