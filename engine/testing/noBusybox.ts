// A machine without busybox, as far as the starter image can tell: a
// directory of links to every program in /usr/bin but busybox, to use as
// PATH (or the bootstrap's search path). The caller removes it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function pathWithoutBusybox(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-nobusybox-'));
  for (const name of fs.readdirSync('/usr/bin')) {
    if (name !== 'busybox') fs.symlinkSync(path.join('/usr/bin', name), path.join(dir, name));
  }
  return dir;
}
