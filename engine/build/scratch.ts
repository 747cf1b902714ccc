// A build's scratch space: where a tar context is unpacked and where COPY
// and ADD write a step's layer before it is committed. One dir per build,
// <root>/build/tmp-<pid>-<random>, removed when the build ends; a crashed
// build's is swept by the next one.
//
// A small COPY layer is written in memory (tmpfs, /dev/shm) instead: the
// commit reads it once and writes it into the layer store, so the files are
// written to disk once, not twice. File creation is most of a cold COPY's
// cost on a slow disk.

import fs from 'node:fs';
import path from 'node:path';
import { isAbandoned, tempName } from '../store/liveness';

const diskPrefix = 'tmp-';
const memoryRoot = '/dev/shm';
const memoryPrefix = 'strata-build-';
const TMPFS_MAGIC = 0x01021994;
/** The largest layer staged in memory; half the free memory space at most. */
const memoryLimit = 64 << 20;

export interface BuildScratch {
  dir: string;
  /** A fresh empty directory on the engine's filesystem. */
  mkdir(name: string): string;
  /** A fresh empty directory for a layer of about `bytes`: in memory when small enough. */
  layerDir(bytes: number): string;
  remove(): void;
}

/** Makes this build's scratch dir under `buildRoot`, sweeping crashed builds' first. */
export function openScratch(buildRoot: string): BuildScratch {
  fs.mkdirSync(buildRoot, { recursive: true, mode: 0o700 });
  sweep(buildRoot, diskPrefix);
  if (usableMemory() > 0) sweep(memoryRoot, memoryPrefix);
  const dir = path.join(buildRoot, tempName(diskPrefix));
  fs.mkdirSync(dir, { mode: 0o700 });
  let memoryDir: string | undefined;
  let n = 0;
  const made = (parent: string, name: string) => {
    const d = path.join(parent, `${name}-${n++}`);
    fs.mkdirSync(d, { mode: 0o755 });
    return d;
  };
  return {
    dir,
    mkdir: (name) => made(dir, name),
    layerDir(bytes) {
      if (bytes > memoryLimit || bytes * 2 > usableMemory()) return made(dir, 'layer');
      if (!memoryDir) {
        memoryDir = path.join(memoryRoot, tempName(memoryPrefix));
        fs.mkdirSync(memoryDir, { mode: 0o700 });
      }
      return made(memoryDir, 'layer');
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      if (memoryDir) fs.rmSync(memoryDir, { recursive: true, force: true });
    },
  };
}

function sweep(parent: string, prefix: string): void {
  for (const name of fs.readdirSync(parent)) {
    if (isAbandoned(name, prefix)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Free bytes of a writable tmpfs at /dev/shm, or 0 when there is none. */
function usableMemory(): number {
  try {
    const s = fs.statfsSync(memoryRoot);
    if (s.type !== TMPFS_MAGIC) return 0;
    fs.accessSync(memoryRoot, fs.constants.W_OK);
    return s.bavail * s.bsize;
  } catch {
    return 0;
  }
}
