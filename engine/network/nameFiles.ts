// /etc/hosts and /etc/resolv.conf as Docker writes them. They live beside the
// container (containers/<id>/hosts, resolv.conf) and are bind-mounted in.
// On a user-defined network the nameserver is the network's gateway, where
// aardvark-dns answers for the containers' names and forwards the rest (Docker
// puts its own resolver at 127.0.0.11 instead); elsewhere the host's servers
// are used directly, without the ones only the host itself can reach.

import { invalidArgument } from '../errors';
import { ipv4Value } from './ipv4';

export interface NameFilesInput {
  hostname: string;
  domainname: string;
  /** Where the container's network comes from: no own address (none), Docker's default bridge, a user network. */
  kind: 'none' | 'bridge' | 'user';
  /** The container's address on its first network. */
  ip?: string;
  /** A user network's gateway, where aardvark-dns listens. */
  gateway?: string;
  /** "name:ip" as --add-host; "host-gateway" stands for the default bridge's gateway. */
  extraHosts: string[];
  hostGateway: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

const localhostLines = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

const isIPv6 = (text: string) => /^[0-9a-fA-F:.]+$/.test(text) && text.includes(':');

/** "name:ip" (or "name=ip") checked; the address may be IPv6 or host-gateway. */
export function parseExtraHost(spec: string): { name: string; ip: string } {
  const sep = spec.includes('=') ? spec.indexOf('=') : spec.indexOf(':');
  const name = spec.slice(0, sep);
  const ip = spec.slice(sep + 1).replace(/^\[(.*)\]$/, '$1');
  if (sep <= 0 || !ip || !(ipv4Value(ip) !== undefined || isIPv6(ip) || ip === 'host-gateway')) {
    throw invalidArgument(`bad format for add-host: "${spec}"`);
  }
  return { name, ip };
}

export function hostsFile(i: NameFilesInput): string {
  const lines = [...localhostLines];
  for (const spec of i.extraHosts) {
    const { name, ip } = parseExtraHost(spec);
    lines.push(`${ip === 'host-gateway' ? i.hostGateway : ip}\t${name}`);
  }
  if (i.kind !== 'none' && i.ip) lines.push(`${i.ip}\t${i.domainname ? `${i.hostname}.${i.domainname} ${i.hostname}` : i.hostname}`);
  return lines.join('\n') + '\n';
}

interface ResolvParts {
  nameservers: string[];
  search: string[];
  options: string[];
}

function parseResolv(text: string): ResolvParts {
  const parts: ResolvParts = { nameservers: [], search: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...values] = line.trim().split(/\s+/);
    if (key === 'nameserver' && values[0]) parts.nameservers.push(values[0]);
    else if (key === 'search' || key === 'domain') parts.search = values;
    else if (key === 'options') parts.options.push(...values);
  }
  return parts;
}

/** Servers only the host can reach (loopback), and IPv6 ones on IPv4-only networks, go: Docker's filter. */
const reachable = (ns: string) => !/^127\./.test(ns) && !isIPv6(ns);
const localhostLine = /^\s*nameserver\s+(127\.\S*|::1|\S*:\S*)\s*$/;
const dockerDefaults = ['8.8.8.8', '8.8.4.4'];

function build(parts: ResolvParts): string {
  const lines: string[] = [];
  if (parts.search.length > 0 && parts.search.join(' ').trim() !== '.') lines.push(`search ${parts.search.join(' ')}`);
  for (const ns of parts.nameservers) lines.push(`nameserver ${ns}`);
  if (parts.options.length > 0) lines.push(`options ${parts.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** The container's resolv.conf from the host's (`hostText`) and the --dns flags. */
export function resolvConf(i: NameFilesInput, hostText: string): string {
  const host = parseResolv(hostText);
  if (i.kind === 'user') {
    const options = i.dnsOptions.length > 0 ? [...i.dnsOptions] : [...host.options];
    if (!options.some((o) => o.startsWith('ndots:'))) options.push('ndots:0');
    return build({ nameservers: [i.gateway!], search: i.dnsSearch.length > 0 ? i.dnsSearch : host.search, options });
  }
  if (i.dns.length === 0 && i.dnsSearch.length === 0 && i.dnsOptions.length === 0) {
    // moby empties the lines (their newlines stay) and appends its defaults when no server is left.
    const text = hostText
      .split('\n')
      .map((l) => (localhostLine.test(l) ? '' : l))
      .join('\n');
    if (host.nameservers.some(reachable)) return text;
    return text + '\n' + dockerDefaults.map((d) => `nameserver ${d}`).join('\n');
  }
  const nameservers = i.dns.length > 0 ? i.dns : host.nameservers.filter(reachable);
  return build({
    nameservers: nameservers.length > 0 ? nameservers : dockerDefaults,
    search: i.dnsSearch.length > 0 ? i.dnsSearch : host.search,
    options: i.dnsOptions.length > 0 ? i.dnsOptions : host.options,
  });
}
