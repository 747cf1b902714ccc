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
import { unionReadFile } from '../fs/union';
import { cgroupPids } from '../runtime/cgroups';
import { cgroupsOf } from '../runtime/lifecycle';
import { findContainer } from '../runtime/context';
import { containerLayerDirs } from '../runtime/prepare';
import type { ContainerRow } from '../store/containers';
import type { ExploreContext } from './context';
import { networkNamespaceOf } from './netns';

const namespaceKinds = ['pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup', 'user', 'time'];

export async function containerProcesses(ctx: ExploreContext, ref: string): Promise<ProcessSpace> {
  const row = findContainer(ctx.runtime, ref);
  if (row.state !== 'running' && row.state !== 'paused') throw conflict(`Container ${row.id} is not running`);
  const users = containerUsers(ctx, row);
  const processes: ContainerProcess[] = [];
  const cg = cgroupsOf(ctx.runtime, row.id);
  for (const pid of cg ? cgroupPids(cg) : []) {
    const p = readProcess(pid, users);
    if (p) processes.push(p); // gone between listing and reading: it exited
  }
  processes.sort((a, b) => a.nsPid - b.nsPid);
  const init = processes.find((p) => p.nsPid === 1) ?? processes[0];
  return {
    namespaces: init ? namespacesOf(String(init.pid)) : {},
    hostNamespaces: namespacesOf('self'),
    processes,
    network: init ? await networkNamespaceOf(init.pid).catch(() => null) : null,
  };
}

function readProcess(pid: number, users: Map<number, string>): ContainerProcess | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
    const nsPids = field('NSpid').split(/\s+/).filter(Boolean).map(Number);
    const uid = Number(field('Uid').split(/\s+/)[0]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return {
      pid,
      nsPid: nsPids.at(-1) ?? pid,
      ppid: Number(field('PPid')),
      user: users.get(uid) ?? String(uid),
      cmd: argv.length ? argv.join(' ') : `[${field('Name')}]`,
    };
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

/** uid -> name from the container's own /etc/passwd (as `ps` inside it would show). */
function containerUsers(ctx: ExploreContext, row: ContainerRow): Map<number, string> {
  const users = new Map<number, string>();
  let text = '';
  try {
    text = unionReadFile(containerLayerDirs(ctx.runtime, row), '/etc/passwd')?.toString('utf8') ?? '';
  } catch {
    // No readable passwd: numbers it is.
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !users.has(Number(uid))) users.set(Number(uid), name);
  }
  return users;
}
