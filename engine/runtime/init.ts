// --init: what runs as the container's PID 1 to reap zombies and pass
// signals on. Docker bind-mounts its docker-init (tini, statically linked)
// at /sbin/docker-init and runs `/sbin/docker-init -- CMD...`; Strata does
// the same with the first static tini it finds (Debian's tini-static, or the
// docker.io package's docker-init), or daemon.json's `init-path`. Without
// one, the launcher's own init does the job (the container's process runs
// as its child: engine/native/shim/reaper.c).
//
// Only a static binary will do: the image may have no libc at all.

import fs from 'node:fs';
import { loadConfig } from '../config';

export const initPathInContainer = '/sbin/docker-init';

const candidates = ['/usr/bin/tini-static', '/usr/bin/docker-init', '/usr/libexec/docker/docker-init', '/usr/bin/tini', '/usr/local/bin/tini'];

export type InitChoice = { path: string } | 'builtin';

/** The init for containers started now. */
export function chooseInit(): InitChoice {
  const config = loadConfig();
  const configured = config.raw('init-path');
  if (configured !== undefined) {
    if (typeof configured !== 'string' || !configured.startsWith('/')) throw config.invalid('init-path', 'must be an absolute path');
    if (!fs.existsSync(configured)) throw config.invalid('init-path', `names ${configured}, which does not exist`);
    return { path: configured };
  }
  const found = candidates.find(isStaticExecutable);
  return found ? { path: fs.realpathSync(found) } : 'builtin';
}

/** An ELF executable without a program interpreter (PT_INTERP): it needs nothing from the image. */
export function isStaticExecutable(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(64);
    if (fs.readSync(fd, head, 0, 64, 0) < 64 || head.readUInt32BE(0) !== 0x7f454c46) return false;
    const is64 = head[4] === 2;
    const le = head[5] === 1;
    const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const phoff = is64 ? Number(le ? head.readBigUInt64LE(0x20) : head.readBigUInt64BE(0x20)) : u32(head, 0x1c);
    const [phentsize, phnum] = is64 ? [u16(head, 0x36), u16(head, 0x38)] : [u16(head, 0x2a), u16(head, 0x2c)];
    if (phentsize < 4 || phnum > 256) return false;
    const table = Buffer.alloc(phentsize * phnum);
    if (fs.readSync(fd, table, 0, table.length, phoff) < table.length) return false;
    const ptInterp = 3;
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === ptInterp) return false;
    return true;
  } finally {
    fs.closeSync(fd);
  }
}
