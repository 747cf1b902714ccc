// Networks and the endpoints of running containers on them (schema v2 in
// db.ts). An endpoint row is the IPAM's allocation: the UNIQUE (network, ip)
// constraint is what makes two engines starting containers at once never hand
// out one address twice, so allocation is an insert that may fail and retry.

import type { Db } from './db';

export interface NetworkRecord {
  id: string;
  name: string;
  driver: 'bridge' | 'host' | 'null';
  /** The host's bridge interface; '' for host and none. */
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
  /** Name resolution by aardvark-dns (user-defined bridge networks, as Docker). */
  dns: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  created: number; // unix ns
}

/** What netavark publishes for one port range (its port_mappings entry). */
export interface PortMapping {
  host_ip: string;
  host_port: number;
  container_port: number;
  protocol: 'tcp' | 'udp';
  range: number;
}

export interface EndpointRecord {
  networkId: string;
  containerId: string;
  ip: string;
  /** eth0, eth1... inside the container. */
  interface: string;
  ports: PortMapping[];
  /** The process that allocated it: while it lives, a start may be under way. */
  pid: number;
}

interface NetworkRow {
  id: string;
  name: string;
  driver: string;
  bridge: string;
  subnet: string;
  gateway: string;
  internal: number;
  dns: number;
  labels: string;
  options: string;
  created: number;
}

interface EndpointRow {
  network_id: string;
  container_id: string;
  ip: string;
  interface: string;
  ports: string;
  pid: number;
}

const networkFrom = (r: NetworkRow): NetworkRecord => ({
  id: r.id,
  name: r.name,
  driver: r.driver as NetworkRecord['driver'],
  bridge: r.bridge,
  subnet: r.subnet,
  gateway: r.gateway,
  internal: r.internal === 1,
  dns: r.dns === 1,
  labels: JSON.parse(r.labels) as Record<string, string>,
  options: JSON.parse(r.options) as Record<string, string>,
  created: r.created,
});

const endpointFrom = (r: EndpointRow): EndpointRecord => ({
  networkId: r.network_id,
  containerId: r.container_id,
  ip: r.ip,
  interface: r.interface,
  ports: JSON.parse(r.ports) as PortMapping[],
  pid: r.pid,
});

export class NetworkStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO networks (id, name, driver, bridge, subnet, gateway, internal, dns, labels, options, created)
         VALUES (@id, @name, @driver, @bridge, @subnet, @gateway, @internal, @dns, @labels, @options, @created)`,
      ),
      byId: db.prepare<[string], NetworkRow>('SELECT * FROM networks WHERE id = ?'),
      byName: db.prepare<[string], NetworkRow>('SELECT * FROM networks WHERE name = ?'),
      byPrefix: db.prepare<[string, string], NetworkRow>("SELECT * FROM networks WHERE id >= ? AND id < ? || 'g' LIMIT 2"),
      all: db.prepare<[], NetworkRow>('SELECT * FROM networks ORDER BY created, name'),
      remove: db.prepare<[string]>('DELETE FROM networks WHERE id = ?'),
      endpointInsert: db.prepare(
        `INSERT INTO endpoints (network_id, container_id, ip, interface, ports, pid)
         VALUES (@networkId, @containerId, @ip, @interface, @ports, @pid)`,
      ),
      endpointsOfNetwork: db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE network_id = ?'),
      endpointsOfContainer: db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE container_id = ? ORDER BY interface'),
      allEndpoints: db.prepare<[], EndpointRow>('SELECT * FROM endpoints'),
      endpointRemove: db.prepare<[string, string]>('DELETE FROM endpoints WHERE network_id = ? AND container_id = ?'),
      endpointsRemove: db.prepare<[string]>('DELETE FROM endpoints WHERE container_id = ?'),
    };
  }

  insert(n: NetworkRecord): void {
    this.stmts.insert.run({
      ...n,
      internal: n.internal ? 1 : 0,
      dns: n.dns ? 1 : 0,
      labels: JSON.stringify(n.labels),
      options: JSON.stringify(n.options),
    });
  }

  get(id: string): NetworkRecord | undefined {
    const r = this.stmts.byId.get(id);
    return r && networkFrom(r);
  }

  byName(name: string): NetworkRecord | undefined {
    const r = this.stmts.byName.get(name);
    return r && networkFrom(r);
  }

  /** Up to two networks whose id starts with the hex prefix (two means ambiguous). */
  byPrefix(prefix: string): NetworkRecord[] {
    return this.stmts.byPrefix.all(prefix, prefix).map(networkFrom);
  }

  list(): NetworkRecord[] {
    return this.stmts.all.all().map(networkFrom);
  }

  remove(id: string): void {
    this.stmts.remove.run(id);
  }

  /** Records an endpoint; false when its address (or interface) is taken meanwhile. */
  addEndpoint(e: Omit<EndpointRecord, 'pid'>): boolean {
    try {
      this.stmts.endpointInsert.run({ ...e, ports: JSON.stringify(e.ports), pid: process.pid });
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
      throw err;
    }
  }

  endpointsOf(networkId: string): EndpointRecord[] {
    return this.stmts.endpointsOfNetwork.all(networkId).map(endpointFrom);
  }

  endpointsOfContainer(containerId: string): EndpointRecord[] {
    return this.stmts.endpointsOfContainer.all(containerId).map(endpointFrom);
  }

  allEndpoints(): EndpointRecord[] {
    return this.stmts.allEndpoints.all().map(endpointFrom);
  }

  removeEndpoint(networkId: string, containerId: string): void {
    this.stmts.endpointRemove.run(networkId, containerId);
  }

  removeEndpoints(containerId: string): void {
    this.stmts.endpointsRemove.run(containerId);
  }

  /** Runs `fn` in one IMMEDIATE transaction: what it reads stays true until it writes. */
  exclusive<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
