// --ulimit: resource limits (setrlimit) by go-units' names, and the
// process.rlimits of the runtime spec. Docker's containers inherit its own
// open-files limit, 1048576 here, unless --ulimit nofile says otherwise.

import fs from 'node:fs';
import { invalidArgument } from '../errors';
import type { UlimitJson } from '../inspect';

export const ulimitNames = [
  'as',
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
];

/** An rlimit of the runtime spec: -1 (unlimited) is RLIM_INFINITY, 2^64-1, which only a bigint holds exactly. */
export interface SpecRlimit {
  type: string;
  hard: number | bigint;
  soft: number | bigint;
}

const defaultNofile = 1048576;
const infinity = (1n << 64n) - 1n;

/** Checks each limit as go-units' ParseUlimit does; a later one of the same name replaces an earlier one. */
export function checkUlimits(list: readonly { name: string; soft: number; hard: number }[]): UlimitJson[] {
  const byName = new Map<string, UlimitJson>();
  for (const { name, soft, hard } of list) {
    if (!ulimitNames.includes(name)) throw invalidArgument(`invalid ulimit type: ${name}`);
    if (hard !== -1 && soft > hard) throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
    if (soft < -1 || hard < -1) throw invalidArgument(`invalid ulimit value for ${name}: ${soft}:${hard}`);
    byName.set(name, { Name: name, Hard: hard, Soft: soft });
  }
  return [...byName.values()];
}

/** clampDefault: for runc and crun, which cannot be given more open files by default than the engine may give (openFilesDefault). */
export function specRlimits(ulimits: readonly UlimitJson[] | null | undefined, clampDefault = false): SpecRlimit[] {
  const value = (v: number) => (v === -1 ? infinity : v);
  const given = (ulimits ?? []).map((u) => ({ type: `RLIMIT_${u.Name.toUpperCase()}`, hard: value(u.Hard), soft: value(u.Soft) }));
  const nofile = given.some((r) => r.type === 'RLIMIT_NOFILE') ? [] : [{ type: 'RLIMIT_NOFILE', ...openFilesDefault(clampDefault) }];
  return [...nofile, ...given];
}

/**
 * Docker's 1048576 open files. Raising a hard limit needs CAP_SYS_RESOURCE,
 * which the engine may lack (inside a container): the launcher then clamps
 * it to its own hard limit and says so; runc and crun refuse to start, so
 * for them the spec asks for no more than the engine has.
 */
function openFilesDefault(clamp: boolean): { hard: number; soft: number } {
  if (!clamp) return { hard: defaultNofile, soft: defaultNofile };
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const hard = Number(/^Max open files\s+\S+\s+(\d+)/m.exec(limits)?.[1] ?? defaultNofile);
  const canRaise = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  const sysResource = canRaise ? (BigInt(`0x${canRaise[1]}`) >> 24n) & 1n : 0n;
  const limit = sysResource ? defaultNofile : Math.min(defaultNofile, hard);
  return { hard: limit, soft: limit };
}

/** JSON for a runtime spec whose numbers may be bigints (written digit for digit). */
export function specJson(spec: object): string {
  const mark = '\u0000bigint:';
  const text = JSON.stringify(spec, (_key, v: unknown) => (typeof v === 'bigint' ? `${mark}${v}` : v), 2);
  return text.replace(/"\\u0000bigint:(\d+)"/g, '$1');
}
