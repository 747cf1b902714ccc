// What of a test's networking is still on the host: links (its bridges and
// the veths on them), firewall rules naming its subnets (iptables-save and
// nft list ruleset), namespaces bound under its engine root, and aardvark-dns
// serving its config. Empty when teardown was exact.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { contains, parseIPv4, type Subnet } from '../network/ipv4';

const lines = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
  } catch {
    return [];
  }
};

const mentions = (line: string, subnet: Subnet) =>
  (line.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? []).some((ip) => {
    try {
      return contains(subnet, parseIPv4(ip));
    } catch {
      return false;
    }
  });

export function networkLeftovers(root: string, subnet: Subnet, bridges: readonly string[]): string[] {
  const found: string[] = [];
  const links = JSON.parse(lines('ip', ['-j', 'link', 'show']).join('\n') || '[]') as { ifname: string; master?: string }[];
  for (const l of links) {
    if (bridges.includes(l.ifname) || (l.master && bridges.includes(l.master))) found.push(`link ${l.ifname}`);
  }
  for (const line of lines('iptables-save', [])) if (mentions(line, subnet)) found.push(`iptables: ${line}`);
  for (const line of lines('nft', ['list', 'ruleset'])) if (mentions(line, subnet)) found.push(`nft: ${line.trim()}`);
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) if (line.includes(root)) found.push(`mount: ${line}`);
  for (const line of lines('ps', ['-eo', 'args'])) if (line.includes('aardvark-dns') && line.includes(root)) found.push(`process: ${line}`);
  return found;
}
