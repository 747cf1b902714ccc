// Resolving a container's USER ("name", "uid", "name:group", "uid:gid") the
// way runc does: against the container's own /etc/passwd and /etc/group,
// read through its layers (no mount needed), never the host's.

import { invalidArgument } from '../errors';
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

export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 6)
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] }));
}

export function parseGroup(text: string): GroupEntry[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 3)
    .map((f) => ({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

const isNumeric = (s: string) => /^\d+$/.test(s);

/**
 * `spec` is the USER string; passwd/group are the container's files (null
 * when the image has none). Errors use runc's words, which Docker shows.
 */
export function resolveUser(spec: string, passwd: string | null, group: string | null): ExecUser {
  const [userPart, groupPart] = spec ? spec.split(':', 2) : ['', undefined];
  const users = passwd ? parsePasswd(passwd) : [];
  const groups = group ? parseGroup(group) : [];

  let entry: PasswdEntry | undefined;
  if (!userPart) entry = users.find((u) => u.uid === 0) ?? { name: 'root', uid: 0, gid: 0, home: '/root' };
  else if (isNumeric(userPart)) entry = users.find((u) => u.uid === Number(userPart)) ?? { name: '', uid: Number(userPart), gid: 0, home: '/' };
  else entry = users.find((u) => u.name === userPart);
  if (!entry) throw invalidArgument(`unable to find user ${userPart}: no matching entries in passwd file`);

  let gid = entry.gid;
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  // Supplementary groups come from membership, only when no group was named.
  const additionalGids =
    groupPart === undefined && entry.name
      ? groups.filter((g) => g.members.includes(entry!.name) && g.gid !== gid).map((g) => g.gid)
      : [];
  return { uid: entry.uid, gid, additionalGids, home: entry.home || '/' };
}
