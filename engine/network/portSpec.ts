// `-p [IP:][HOSTPORT:]CONTAINERPORT[/PROTO]` and `--expose`, read as Docker's
// CLI reads them (go-connections' nat.ParsePortSpec): ranges on either side,
// a host range for one container port meaning "any free port in it", IPv6
// host addresses in brackets. Pure, so the CLI and the app share it.

import { invalidArgument } from '../errors';
import { ipv4Value } from './ipv4';

import type { PortBindings } from '../api';

export type Protocol = 'tcp' | 'udp';

/** "80" or "8000-8010" as [start, end]; undefined when not a port range. */
export function parsePortRange(text: string): [number, number] | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

function splitProto(text: string): [string, string] {
  const slash = text.indexOf('/');
  if (slash < 0) return [text, 'tcp'];
  return [text.slice(0, slash), text.slice(slash + 1)];
}

function checkProto(proto: string): Protocol {
  const p = proto.toLowerCase();
  if (p === 'tcp' || p === 'udp') return p;
  if (p === 'sctp') throw invalidArgument('invalid proto: sctp (Strata publishes tcp and udp ports)');
  throw invalidArgument(`invalid proto: ${proto}`);
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  if (n === 1) return ['', '', parts[0]];
  if (n === 2) return ['', parts[0], parts[1]];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2], parts[n - 1]];
}

function hostIp(raw: string): string {
  let ip = raw;
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']')) throw invalidArgument(`invalid IP address ${raw}`);
    ip = ip.slice(1, -1);
  }
  if (ip === '') return '';
  if (ipv4Value(ip) !== undefined) return ip;
  if (/^[0-9a-fA-F:.]+$/.test(ip) && ip.includes(':')) {
    throw invalidArgument(`invalid IP address: ${ip}: Strata's networks publish ports on IPv4 addresses only`);
  }
  throw invalidArgument(`invalid IP address: ${ip}`);
}

/** One -p value as port bindings ("80/tcp" -> [{HostIp, HostPort}]), with Docker's messages. */
export function parsePublish(raw: string): PortBindings {
  const [ipPart, hostPart, containerPart] = splitParts(raw);
  const [containerText, proto] = splitProto(containerPart);
  const ip = hostIp(ipPart);
  if (containerText === '') throw invalidArgument(`no port specified: ${raw}<empty>`);
  const container = parsePortRange(containerText);
  if (!container || container[0] === 0) throw invalidArgument(`invalid containerPort: ${containerText}`);
  let host: [number, number] | undefined;
  if (hostPart !== '') {
    host = parsePortRange(hostPart);
    if (!host) throw invalidArgument(`invalid hostPort: ${hostPart}`);
  }
  const count = container[1] - container[0];
  if (host && host[1] - host[0] !== count && count !== 0) {
    throw invalidArgument(`invalid ranges specified for container and host Ports: ${containerText} and ${hostPart}`);
  }
  const protocol = checkProto(proto);
  const out: PortBindings = {};
  for (let i = 0; i <= count; i++) {
    let hostPort = '';
    if (host) hostPort = count === 0 && host[0] !== host[1] ? `${host[0]}-${host[1]}` : String(host[0] + i);
    (out[`${container[0] + i}/${protocol}`] ??= []).push({ HostIp: ip, HostPort: hostPort });
  }
  return out;
}

/** Every -p value merged, in order. */
export function parsePublishList(values: readonly string[]): PortBindings {
  const out: PortBindings = {};
  for (const v of values) for (const [port, bindings] of Object.entries(parsePublish(v))) (out[port] ??= []).push(...bindings);
  return out;
}

/** `--expose 80`, `--expose 7000-7002/udp`: the "port/proto" keys of ExposedPorts. */
export function parseExpose(raw: string): string[] {
  const [text, proto] = splitProto(raw);
  const range = parsePortRange(text);
  if (!range || range[0] === 0) {
    throw invalidArgument(`invalid range format for --expose: ${raw}, error: strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const protocol = checkProto(proto);
  const out: string[] = [];
  for (let p = range[0]; p <= range[1]; p++) out.push(`${p}/${protocol}`);
  return out;
}

/** "80/tcp" as [80, 'tcp'] (an image's ExposedPorts key may lack the protocol). */
export function splitPortKey(key: string): [number, Protocol] {
  const [text, proto] = splitProto(key);
  const range = parsePortRange(text);
  if (!range) throw invalidArgument(`invalid port ${key}`);
  return [range[0], checkProto(proto)];
}
