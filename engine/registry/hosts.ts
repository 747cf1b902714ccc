// Which address a reference's registry is reached at, and how: Docker Hub's
// names (docker.io is served by registry-1.docker.io, its credentials are
// kept under https://index.docker.io/v1/), which registries may be spoken to
// over plain HTTP (loopback ones, as Docker allows, and those the settings
// list), and which requests go through HTTPS_PROXY / HTTP_PROXY, with Go's
// rules for NO_PROXY (Docker's daemon is a Go program; loopback is never
// proxied).

import net from 'node:net';
import type { RegistrySettings } from './settings';

export const dockerHubDomain = 'docker.io';
export const dockerHubRegistry = 'registry-1.docker.io';
/** The key Docker keeps Docker Hub credentials under, and the server `login` uses by default. */
export const dockerHubAuthKey = 'https://index.docker.io/v1/';

/** The host[:port] requests for a reference's domain go to. */
export function registryHost(domain: string): string {
  return domain === dockerHubDomain ? dockerHubRegistry : domain;
}

/** "host" of "host:port" or "[v6]:port". */
export function hostName(hostPort: string): string {
  const v6 = /^\[([^\]]+)\]/.exec(hostPort);
  if (v6) return v6[1]!;
  const colon = hostPort.lastIndexOf(':');
  return colon > 0 && !hostPort.slice(0, colon).includes(':') ? hostPort.slice(0, colon) : hostPort;
}

export function isLoopback(host: string): boolean {
  const h = hostName(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  return h === '::1';
}

/** Plain HTTP (and unverified TLS) is allowed: loopback, or listed as insecure by host, host:port or CIDR. */
export function isInsecure(settings: RegistrySettings, hostPort: string): boolean {
  if (isLoopback(hostPort)) return true;
  const host = hostName(hostPort);
  for (const entry of settings.insecureRegistries) {
    const e = entry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    if (e === hostPort || e === host) return true;
    if (e.includes('/') && inCidr(host, e)) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!net.isIPv4(host) || !net.isIPv4(base!) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const list = new net.BlockList();
  list.addSubnet(base!, bits, 'ipv4');
  return list.check(host, 'ipv4');
}

/**
 * The proxy a request to `url` goes through, from the environment as Go's
 * net/http reads it: HTTPS_PROXY for https, HTTP_PROXY for http (lower case
 * first), none for loopback hosts or hosts NO_PROXY names (`*`, a host or
 * domain suffix, an IP or CIDR, each optionally with a port).
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const proxy = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of (env.no_proxy ?? env.NO_PROXY ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return undefined;
    if (entry.includes('/')) {
      if (net.isIP(host) && inCidr(host, entry)) return undefined;
      continue;
    }
    const [name, entryPort] = splitPort(entry);
    if (entryPort && entryPort !== port) continue;
    if (net.isIP(name)) {
      if (name === host) return undefined;
      continue;
    }
    const suffix = name.replace(/^\*?\./, '');
    if (host === suffix || host.endsWith(`.${suffix}`)) return undefined;
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function splitPort(entry: string): [string, string] {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (v6) return [v6[1]!, v6[2] ?? ''];
  const m = /^([^:]+):(\d+)$/.exec(entry);
  return m ? [m[1]!, m[2]!] : [entry, ''];
}
