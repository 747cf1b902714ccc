// The overlay mount the launcher makes for a container, and the check that
// the engine root can hold overlay upper dirs at all.

import fs from 'node:fs';
import { invalidArgument, unavailable } from '../errors';
import { overlayOptions } from '../rootless';

/** statfs f_type values (linux/magic.h) of filesystems that cannot be an overlay upper dir, and why. */
const UNFIT: Record<number, string> = {
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0x65735546: 'fuse', // sshfs, fuse-overlayfs...: no whiteout renames, unreliable xattrs
  0x4d44: 'vfat',
  0x2011bab0: 'exfat',
  0x01021997: '9p',
  0xf15f: 'ecryptfs',
  0x61756673: 'aufs',
  0xff534d42: 'cifs',
  0xfe534d42: 'smb2',
  0x858458f6: 'ramfs', // no extended attributes
  0x73717368: 'squashfs', // read-only
  0xe0f5e1e2: 'erofs', // read-only
  0x9660: 'iso9660', // read-only
};

/** Filesystems known to work (the kernel needs xattrs in the trusted namespace, d_type, RENAME_WHITEOUT). */
const FIT: Record<number, string> = {
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0xf2f52010: 'f2fs',
  0x2fc12fc1: 'zfs', // since OpenZFS 2.2
};

/**
 * Refuses a directory whose filesystem cannot hold overlay upper and work
 * dirs (Unavailable); returns the filesystem's name. Filesystems not known
 * either way are let through: the mount itself will tell.
 */
export function checkUpperDirFilesystem(dir: string): string {
  const type = fs.statfsSync(dir).type;
  const unfit = UNFIT[type];
  if (unfit) throw unavailable(`the engine root ${dir} is on ${unfit}, which cannot host an overlay upper dir`);
  return FIT[type] ?? `0x${type.toString(16)}`;
}

export interface OverlayDirs {
  /** Lower dirs, top first: short links relative to the layers dir (l/<id>) or absolute paths. */
  lowerShorts: string[];
  upperDir: string;
  workDir: string;
}

/** mount(2) copies the data of one page, its final NUL included. */
const PAGE_SIZE = 4096;

/** The overlay mount data: the dirs, then the mode's options (rootless.ts says which and why). */
export function overlayMountData(dirs: OverlayDirs): string {
  for (const dir of [...dirs.lowerShorts, dirs.upperDir, dirs.workDir]) {
    const bad = [',', ':', '\\'].find((c) => dir.includes(c));
    if (bad) throw invalidArgument(`overlay cannot mount ${dir}: the path contains '${bad}'`);
  }
  if (dirs.lowerShorts.length === 0) throw invalidArgument('an overlay needs at least one lower dir');
  const options = [`lowerdir=${dirs.lowerShorts.join(':')}`, `upperdir=${dirs.upperDir}`, `workdir=${dirs.workDir}`];
  options.push(...overlayOptions());
  const data = options.join(',');
  const bytes = Buffer.byteLength(data);
  if (bytes >= PAGE_SIZE) {
    throw unavailable(`too many layers: the overlay mount data is ${bytes} bytes, more than one page (${PAGE_SIZE})`);
  }
  return data;
}
