// When save may hand out a layer's tar without hashing it again. Hashing
// the replayed tar (as Docker's verified TarStream does) costs more than
// reading and writing it; what it guards against is a layer file changed
// since registration, and the kernel records every such change: any write,
// chmod, chown, rename or replacement of a file sets its ctime to the
// current time, and no call sets a ctime back. So when a layer is unpacked
// by its registration, a seal stamped after its last file was final names
// that moment, and a file whose ctime is before the seal is exactly as the
// tar left it. Timestamps come from a coarse clock, so the last files may
// share the tick in which the unpack ended: the seal is the next tick, which
// puts every unpacked file strictly before it. A file changed in the seal's
// own tick counts as changed (the check is strict), and a layer with no seal
// (registered before seals, or by a path that did not unpack it) is hashed
// as before.
// What this trusts beyond Docker: that the wall clock is not set back
// between a registration and a later change of the layer's files.
//
// layers/<chain hex>/sealed: the seal's own ctime in nanoseconds, decimal;
// written in the staging dir that becomes the layer's dir (a rename of the
// dir leaves its files' ctimes as they are).

import fs from 'node:fs';
import path from 'node:path';
import { tempName } from '../store/liveness';

const sealName = 'sealed';

/** Stamps a freshly unpacked layer's dir (the parent of its diff dir) as final now. */
export async function sealLayer(layerDir: string): Promise<void> {
  const tmp = path.join(layerDir, tempName('.sealed-'));
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      const unpacked = fs.fstatSync(fd, { bigint: true }).ctimeNs;
      let seal = unpacked;
      while (seal <= unpacked) {
        await new Promise((r) => setTimeout(r, 1));
        fs.fchmodSync(fd, 0o600); // sets the ctime to now
        seal = fs.fstatSync(fd, { bigint: true }).ctimeNs;
      }
      fs.writeSync(fd, String(seal));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(layerDir, sealName));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The layer's seal, or null when it has none (or an unreadable one). */
export function layerSeal(layerDir: string): bigint | null {
  try {
    const text = fs.readFileSync(path.join(layerDir, sealName), 'utf8');
    return /^[0-9]{1,30}$/.test(text) ? BigInt(text) : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Whether a file of the layer is unchanged since its seal. */
export function unchangedSince(seal: bigint, stats: fs.BigIntStats): boolean {
  return stats.ctimeNs < seal;
}
