// Container rows: what the engine made at create (config), and the state
// columns that lifecycle transitions update. Transitions that more than one
// process may race on (two CLIs noticing the same exit) are compare-and-set
// on the state, so exactly one of them records it.

import type { ContainerState, PortBindings } from '../api';
import type { ContainerConfigJson, DeviceMapping, HostResourcesJson, HostSecurityJson, RestartPolicy } from '../inspect';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/** The log driver and its options (--log-driver, --log-opt). */
export interface LogConfig {
  Type: 'json-file' | 'local' | 'none';
  Config: Record<string, string>;
}

/** Security options and limits are absent in rows written before them: Docker's defaults. */
export interface HostConfig extends Partial<HostSecurityJson>, Partial<HostResourcesJson> {
  /** -v values as given: "SRC:DST[:MODE]", "NAME:DST[:MODE]" or "/DST". */
  Binds: string[];
  /** "bridge" (the default), "none", "host", "container:<id>" or a user network's name. */
  NetworkMode: string;
  AutoRemove: boolean;
  /** Absent in rows written before restart policies: no. */
  RestartPolicy?: RestartPolicy;
  /** Absent in rows written before devices: false and none. */
  Privileged?: boolean;
  Devices?: DeviceMapping[];
  DeviceCgroupRules?: string[];
  /** Absent in rows written before them: Docker's defaults (runtime/hostSettings.ts). */
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  UsernsMode?: string;
  CgroupnsMode?: string;
  Sysctls?: Record<string, string>;
  OomScoreAdj?: number;
  LogConfig?: LogConfig;
  Runtime?: string;
  PortBindings?: PortBindings;
  PublishAllPorts?: boolean;
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  /** "name:ip" as --add-host. */
  ExtraHosts?: string[];
  /** --volumes-from, as given: "CONTAINER[:ro|rw]". */
  VolumesFrom?: string[];
}

/** A container's settings on one network (Docker's EndpointSettings as configured), keyed by the network's name. */
export interface EndpointConfig {
  NetworkID: string;
  Aliases: string[];
  /** --ip: the address asked for; '' lets the IPAM choose. */
  IPv4Address: string;
}

/** Where something is mounted in the container, decided at create (Docker's MountPoint). */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** A volume's name; '' otherwise. */
  Name: string;
  /** The host path (a bind's source, a volume's _data); '' for tmpfs. */
  Source: string;
  Destination: string;
  RW: boolean;
  /** What the user wrote after the paths ("ro", "z"...), as Docker's Mode. */
  Mode: string;
  /** Volumes: copy the image's files at Destination into a new empty volume (not with volume-nocopy). */
  CopyData: boolean;
  /** tmpfs: its mount options (size=64m,mode=1777). */
  Options: string[];
}

/** What `create` decided, stored as JSON in containers.config. */
export interface ContainerSpecRecord {
  Config: ContainerConfigJson;
  HostConfig: HostConfig;
  /** The networks it joins at start, by name: the first is the one its ports are published on. */
  Networks?: Record<string, EndpointConfig>;
  /** Its mounts in the order the launcher makes them; absent in containers made before volumes. */
  MountPoints?: MountPoint[];
}

/** Its mounts; a container made before volumes had only -v SRC:DST[:MODE] binds. */
export function mountPointsOf(spec: ContainerSpecRecord): MountPoint[] {
  return (
    spec.MountPoints ??
    spec.HostConfig.Binds.map((b) => {
      const [source, destination, mode = ''] = b.split(':');
      return { Type: 'bind', Name: '', Source: source, Destination: destination, RW: !mode.split(',').includes('ro'), Mode: mode, CopyData: false, Options: [] };
    })
  );
}

export interface ContainerRow {
  id: string;
  name: string;
  imageId: string;
  imageRef: string;
  spec: ContainerSpecRecord;
  state: ContainerState;
  pid: number;
  monitorPid: number;
  exitCode: number;
  error: string;
  created: number; // unix ns
  startedAt: number; // unix ns, 0 = never
  finishedAt: number; // unix ns, 0 = never
  restartCount: number;
  manuallyStopped: boolean;
  /** Bytes of the monitor's kernel.jsonl already recorded (see runtime/monitorRecords.ts). */
  monitorOffset: number;
}

interface RawRow {
  id: string;
  name: string;
  image_id: string;
  image_ref: string;
  config: string;
  state: string;
  pid: number;
  monitor_pid: number;
  exit_code: number;
  error: string;
  created: number;
  started_at: number;
  finished_at: number;
  restart_count: number;
  manually_stopped: number;
  monitor_offset: number;
}

function fromRaw(r: RawRow): ContainerRow {
  return {
    id: r.id,
    name: r.name,
    imageId: r.image_id,
    imageRef: r.image_ref,
    spec: JSON.parse(r.config) as ContainerSpecRecord,
    state: r.state as ContainerState,
    pid: r.pid,
    monitorPid: r.monitor_pid,
    exitCode: r.exit_code,
    error: r.error,
    created: r.created,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    restartCount: r.restart_count,
    manuallyStopped: r.manually_stopped !== 0,
    monitorOffset: r.monitor_offset,
  };
}

export type StateUpdate = Partial<
  Pick<ContainerRow, 'state' | 'pid' | 'monitorPid' | 'exitCode' | 'error' | 'startedAt' | 'finishedAt' | 'restartCount' | 'manuallyStopped' | 'monitorOffset'>
>;

const columnOf: Record<keyof StateUpdate, string> = {
  state: 'state',
  pid: 'pid',
  monitorPid: 'monitor_pid',
  exitCode: 'exit_code',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  restartCount: 'restart_count',
  manuallyStopped: 'manually_stopped',
  monitorOffset: 'monitor_offset',
};

export class ContainerStore {
  private readonly stmts;
  /** Prepared once per shape of update: a handful of shapes exist. */
  private readonly transitions = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO containers (id, name, image_id, image_ref, config, state, created)
         VALUES (@id, @name, @imageId, @imageRef, @config, 'created', @created)`,
      ),
      byId: db.prepare('SELECT * FROM containers WHERE id = ?'),
      byName: db.prepare('SELECT * FROM containers WHERE name = ?'),
      byPrefix: db.prepare("SELECT * FROM containers WHERE id >= ? AND id < ? || 'g' LIMIT 2"),
      all: db.prepare('SELECT * FROM containers ORDER BY created DESC'),
      active: db.prepare("SELECT * FROM containers WHERE state IN ('running', 'paused', 'restarting', 'removing') ORDER BY created DESC"),
      byImage: db.prepare('SELECT id FROM containers WHERE image_id = ?'),
      rename: db.prepare('UPDATE containers SET name = ? WHERE id = ?'),
      updateSpec: db.prepare('UPDATE containers SET config = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM containers WHERE id = ?'),
      count: db.prepare('SELECT count(*) AS n FROM containers'),
    };
  }

  insert(row: { id: string; name: string; imageId: string; imageRef: string; spec: ContainerSpecRecord; created: number }): void {
    this.stmts.insert.run({ ...row, config: JSON.stringify(row.spec) });
  }

  get(id: string): ContainerRow | undefined {
    const r = this.stmts.byId.get(id) as RawRow | undefined;
    return r && fromRaw(r);
  }

  byName(name: string): ContainerRow | undefined {
    const r = this.stmts.byName.get(name) as RawRow | undefined;
    return r && fromRaw(r);
  }

  /** Up to two rows whose id starts with the hex prefix (two means ambiguous). */
  byPrefix(prefix: string): ContainerRow[] {
    return (this.stmts.byPrefix.all(prefix, prefix) as RawRow[]).map(fromRaw);
  }

  /** Every container, or (all false) those whose process may run and those being removed; newest first. */
  list(all: boolean): ContainerRow[] {
    return ((all ? this.stmts.all : this.stmts.active).all() as RawRow[]).map(fromRaw);
  }

  idsUsingImage(imageId: string): string[] {
    return (this.stmts.byImage.all(imageId) as { id: string }[]).map((r) => r.id);
  }

  count(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  /**
   * Applies `update` only while the row is in one of `from` (compare-and-set);
   * returns whether this call made the transition.
   */
  transition(id: string, from: readonly ContainerState[], update: StateUpdate): boolean {
    const keys = Object.keys(update) as (keyof StateUpdate)[];
    const sets = keys.map((k) => `${columnOf[k]} = @${k}`).join(', ');
    const marks = from.map((_, i) => `@from${i}`).join(', ');
    const params: Record<string, unknown> = { id, ...update };
    if (update.manuallyStopped !== undefined) params.manuallyStopped = update.manuallyStopped ? 1 : 0;
    from.forEach((s, i) => (params[`from${i}`] = s));
    const sql = `UPDATE containers SET ${sets} WHERE id = @id AND state IN (${marks})`;
    let stmt = this.transitions.get(sql);
    if (!stmt) this.transitions.set(sql, (stmt = this.db.prepare(sql)));
    const info = stmt.run(params);
    return info.changes === 1;
  }

  /** Replaces what create decided (network connect and disconnect change the networks). */
  updateSpec(id: string, spec: ContainerSpecRecord): void {
    this.stmts.updateSpec.run(JSON.stringify(spec), id);
  }

  /** Runs `fn` as one write transaction (IMMEDIATE): other processes see all of it or none. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  rename(id: string, name: string): void {
    this.stmts.rename.run(name, id);
  }

  /** Deletes the row; false when another process deleted it first. */
  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes === 1;
  }
}
