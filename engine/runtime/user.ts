// Resolving a container's USER ("name", "uid", "name:group", "uid:gid") the
// way runc does: against the container's own /etc/passwd and /etc/group,
// read through its layers (no mount needed), never the host's.
//
// An image's user files are input like any other: they are read as a
// stream of lines, never whole, and passwd only as far as the first match.
// A file larger than 64 MiB or a line longer than 64 KiB (Go's
// bufio.Scanner limit, where runc gives up too) is refused with one line.

import fs from 'node:fs';
import { invalidArgument } from '../errors';
import { unionOpenFile } from '../fs/union';
import type { ResolvedUser } from './spec';

export interface ExecUser extends ResolvedUser {
  home: string;
}

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Where the lines of the container's user files come from (an empty sequence: no such file). */
export interface UserFiles {
  passwd(): Iterable<string>;
  group(): Iterable<string>;
}

export const userFileLimits = { maxBytes: 64 << 20, maxLine: 64 << 10 };

const isNumeric = (s: string) => /^\d+$/.test(s);

/** One line of /etc/passwd (name:password:uid:gid:gecos:home:shell); null for blank, comment and malformed lines. */
export function parsePasswdLine(line: string): PasswdEntry | null {
  const f = line.trim().split(':');
  if (f[0] === '' || f[0].startsWith('#') || f.length < 6 || !isNumeric(f[2]) || !isNumeric(f[3])) return null;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] };
}

/** One line of /etc/group (name:password:gid:members); null for blank, comment and malformed lines. */
function parseGroupLine(line: string): GroupEntry | null {
  const f = line.trim().split(':');
  if (f[0] === '' || f[0].startsWith('#') || f.length < 3 || !isNumeric(f[2])) return null;
  return { name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) };
}

export function parsePasswd(text: string): PasswdEntry[] {
  return entries(text.split('\n'), parsePasswdLine);
}

export function parseGroup(text: string): GroupEntry[] {
  return entries(text.split('\n'), parseGroupLine);
}

function entries<T>(lines: Iterable<string>, parse: (line: string) => T | null): T[] {
  const out: T[] = [];
  for (const line of lines) {
    const entry = parse(line);
    if (entry !== null) out.push(entry);
  }
  return out;
}

function find<T>(lines: Iterable<string>, parse: (line: string) => T | null, match: (entry: T) => boolean): T | undefined {
  for (const line of lines) {
    const entry = parse(line);
    if (entry !== null && match(entry)) return entry; // leaving the loop closes the file
  }
  return undefined;
}

/**
 * `spec` is the USER string; `files` the container's user files. Errors
 * use runc's words, which Docker shows.
 */
export function resolveUser(spec: string, files: UserFiles): ExecUser {
  const [userPart, groupPart] = spec ? spec.split(':', 2) : ['', undefined];

  let entry: PasswdEntry | undefined;
  if (!userPart) entry = find(files.passwd(), parsePasswdLine, (u) => u.uid === 0) ?? { name: 'root', uid: 0, gid: 0, home: '/root' };
  else if (isNumeric(userPart)) {
    const uid = Number(userPart);
    entry = find(files.passwd(), parsePasswdLine, (u) => u.uid === uid) ?? { name: '', uid, gid: 0, home: '/' };
  } else entry = find(files.passwd(), parsePasswdLine, (u) => u.name === userPart);
  if (!entry) throw invalidArgument(`unable to find user ${userPart}: no matching entries in passwd file`);

  let gid = entry.gid;
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const g = find(files.group(), parseGroupLine, (x) => x.name === groupPart);
      if (!g) throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  // Supplementary groups come from membership, only when no group was named.
  const name = entry.name;
  const additionalGids =
    groupPart === undefined && name
      ? entries(files.group(), parseGroupLine)
          .filter((g) => g.members.includes(name) && g.gid !== gid)
          .map((g) => g.gid)
      : [];
  return { uid: entry.uid, gid, additionalGids, home: entry.home || '/' };
}

/**
 * --group-add, as runc's GetAdditionalGroups reads it: each a group name or
 * number of the container's /etc/group (a number it lacks still counts);
 * a group already given once by another of its names is not found again.
 */
export function resolveGroupAdd(wanted: readonly string[], files: UserFiles): number[] {
  if (wanted.length === 0) return [];
  const groups = entries(files.group(), parseGroupLine).filter((g) => wanted.some((w) => w === g.name || w === String(g.gid)));
  const gids = new Set<number>();
  for (const w of wanted) {
    const found = groups.find((g) => (g.name === w || String(g.gid) === w) && !gids.has(g.gid));
    if (found) {
      gids.add(found.gid);
      continue;
    }
    if (!/^[+-]?\d+$/.test(w)) throw invalidArgument(`Unable to find group ${w}: no matching entries in group file`);
    if (Number(w) < 0 || Number(w) > 2 ** 31 - 1) throw invalidArgument('uids and gids must be in range 0-2147483647');
    gids.add(Number(w));
  }
  return [...gids];
}

/** The user files of a stack of layer dirs (top first), each opened only when read. */
export function imageUserFiles(dirs: readonly string[]): UserFiles {
  return { passwd: () => imageFileLines(dirs, '/etc/passwd'), group: () => imageFileLines(dirs, '/etc/group') };
}

/** The lines of the image's file at `p` (none when it has no such file), within userFileLimits. */
function* imageFileLines(dirs: readonly string[], p: string): Generator<string> {
  const file = unionOpenFile(dirs, p);
  if (file === null) return;
  try {
    yield* fileLines(file.fd, p);
  } finally {
    fs.closeSync(file.fd);
  }
}

/** The lines of the open file `fd`, read `chunk` bytes at a time, within userFileLimits. */
export function* fileLines(fd: number, what: string, chunk = 64 << 10): Generator<string> {
  const { maxBytes, maxLine } = userFileLimits;
  const buf = Buffer.allocUnsafe(chunk);
  let carry = Buffer.alloc(0);
  for (let total = 0; ; ) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw invalidArgument(`${what} in the image is larger than ${maxBytes >> 20} MiB`);
    const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
      if (nl - start > maxLine) throw invalidArgument(`${what} in the image has a line longer than ${maxLine >> 10} KiB`);
      yield data.toString('utf8', start, nl);
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start));
    if (carry.length > maxLine) throw invalidArgument(`${what} in the image has a line longer than ${maxLine >> 10} KiB`);
  }
  if (carry.length > 0) yield carry.toString('utf8');
}
