// `container.processes`: a running container's process space, read from
// /proc for the pids in its cgroup: each process's pid inside the
// container's pid namespace (the last NSpid field) and on the host, its
// parent and command, and the namespaces of PID 1 with the kernel's names
// for them ("pid:[4026532301]"; two processes share a namespace exactly when
// these match), next to the host's own for comparison; and what its network
// namespace holds (interfaces, routes).

import fs from 'node:fs';
import type { ContainerProcess, ProcessSpace } from '../api';
import { conflict } from '../errors';
import { cgroupPids } from '../runtime/cgroups';
import { cgroupsOf } from '../runtime/lifecycle';
import { findContainer } from '../runtime/context';
import { containerLayerDirs } from '../runtime/prepare';
import { imageUserFiles, parsePasswdLine } from '../runtime/user';
import type { ContainerRow } from '../store/containers';
import type { ExploreContext } from './context';
import { networkNamespaceOf } from './netns';

const namespaceKinds = ['pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup', 'user', 'time'];

export async function containerProcesses(ctx: ExploreContext, ref: string): Promise<ProcessSpace> {
  const row = findContainer(ctx.runtime, ref);
  if (row.state !== 'running' && row.state !== 'paused') throw conflict(`Container ${row.id} is not running`);
  const read: Array<{ process: Omit<ContainerProcess, 'user'>; uid: number }> = [];
  const cg = cgroupsOf(ctx.runtime, row.id);
  for (const pid of cg ? cgroupPids(cg) : []) {
    const p = readProcess(pid);
    if (p) read.push(p); // gone between listing and reading: it exited
  }
  const users = containerUsers(ctx, row, new Set(read.map((p) => p.uid)));
  const processes: ContainerProcess[] = read.map(({ process, uid }) => ({ ...process, user: users.get(uid) ?? String(uid) }));
  processes.sort((a, b) => a.nsPid - b.nsPid);
  const init = processes.find((p) => p.nsPid === 1) ?? processes[0];
  return {
    namespaces: init ? namespacesOf(String(init.pid)) : {},
    hostNamespaces: namespacesOf('self'),
    processes,
    network: init ? await networkNamespaceOf(init.pid).catch(() => null) : null,
  };
}

function readProcess(pid: number): { process: Omit<ContainerProcess, 'user'>; uid: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
    const nsPids = field('NSpid').split(/\s+/).filter(Boolean).map(Number);
    const uid = Number(field('Uid').split(/\s+/)[0]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const process = { pid, nsPid: nsPids.at(-1) ?? pid, ppid: Number(field('PPid')), cmd: argv.length ? argv.join(' ') : `[${field('Name')}]` };
    return { process, uid };
  } catch {
    return null;
  }
}

function namespacesOf(pid: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of namespaceKinds) {
    try {
      out[kind] = fs.readlinkSync(`/proc/${pid}/ns/${kind}`);
    } catch {
      // A kernel without this namespace type.
    }
  }
  return out;
}

/**
 * Names for `uids` from the container's own /etc/passwd (as `ps` inside it
 * would show), read only until each has its name.
 */
function containerUsers(ctx: ExploreContext, row: ContainerRow, uids: Set<number>): Map<number, string> {
  const users = new Map<number, string>();
  try {
    for (const line of imageUserFiles(containerLayerDirs(ctx.runtime, row)).passwd()) {
      const entry = parsePasswdLine(line);
      if (entry && uids.has(entry.uid) && !users.has(entry.uid)) users.set(entry.uid, entry.name);
      if (users.size === uids.size) break;
    }
  } catch {
    // No readable passwd: numbers it is.
  }
  return users;
}
