import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lsetxattr } from '../native';
import { listChanges } from './changes';
import { overlayMountData } from './overlay';
import { makeWhiteout, markOpaque } from './overlayFormat';

let tmp: string;
let base: string;
let upper: string;

function write(root: string, rel: string, content = ''): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Runs `script` inside an overlay of `lowers` and `upper`, in a private mount namespace that dies with it. */
function inOverlay(lowers: string[], script: string): void {
  const work = path.join(tmp, 'work');
  const merged = path.join(tmp, 'merged');
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(merged, { recursive: true });
  const data = overlayMountData({ lowerShorts: lowers, upperDir: upper, workDir: work });
  execFileSync('unshare', ['-m', 'sh', '-euc', `mount -t overlay overlay -o "$1" "$2"; cd "$2"; ${script}`, 'sh', data, merged]);
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-changes-'));
  base = path.join(tmp, 'base');
  upper = path.join(tmp, 'upper');
  fs.mkdirSync(upper);
  write(base, 'etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
  write(base, 'dir/file', 'a\n');
  write(base, 'dir/sub/f2', 'b\n');
  write(base, 'data/keep', 'c\n');
  write(base, 'data/gone', 'd\n');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const lines = () => listChanges(upper, [base]).map((c) => `${c.kind} ${c.path}`);

describe('listChanges', () => {
  it('reports what a container did as docker diff does', () => {
    // The same commands in a Docker 20.10 container on the same image gave the same
    // thirteen lines (in Go map order).
    inOverlay(
      [base],
      'echo x >> dir/file; touch newfile; rm data/gone; rm -rf dir/sub; mkdir dir/sub; echo n > dir/sub/new; ' +
        'mkdir -p a/b; echo q > a/b/c; ln newfile hl; mknod dev0 c 1 3; chmod 4755 a/b/c',
    );
    expect(lines()).toEqual([
      'A /a',
      'A /a/b',
      'A /a/b/c',
      'C /data',
      'D /data/gone',
      'A /dev0',
      'C /dir',
      'C /dir/file',
      'C /dir/sub',
      'A /dir/sub/new',
      'D /dir/sub/f2',
      'A /hl',
      'A /newfile',
    ]);
  });

  it('reports nothing for directories overlay only copied up, and nothing for no change', () => {
    expect(lines()).toEqual([]);
    inOverlay([base], 'cat dir/file > /dev/null; touch -c missing; chown 0:0 etc/passwd');
    // chown to the same owner copies etc/passwd up with its times: no difference a diff can see.
    expect(lines()).toEqual([]);
  });

  it('reports a rename as a delete and an add, inside a changed directory', () => {
    inOverlay([base], 'mv dir/file dir/renamed');
    expect(lines()).toEqual(['C /dir', 'A /dir/renamed', 'D /dir/file']);
  });

  it('reports a deleted directory once, without its content', () => {
    inOverlay([base], 'rm -rf dir');
    expect(lines()).toEqual(['D /dir']);
  });

  it('reports mode and type changes', () => {
    inOverlay([base], 'chmod 700 data; rm dir/file; mkdir dir/file; touch dir/file/x; rm -rf dir/sub; echo f > dir/sub');
    expect(lines()).toEqual(['C /data', 'C /dir', 'C /dir/file', 'A /dir/file/x', 'C /dir/sub']);
  });

  it('reports a file capability change', () => {
    write(upper, 'etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
    for (const d of [base, upper]) {
      const t = new Date(1_600_000_000_000);
      fs.utimesSync(path.join(d, 'etc/passwd'), t, t);
    }
    fs.chmodSync(path.join(upper, 'etc'), fs.statSync(path.join(base, 'etc')).mode);
    expect(lines()).toEqual([]);
    lsetxattr(path.join(upper, 'etc/passwd'), 'security.capability', Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(lines()).toEqual(['C /etc', 'C /etc/passwd']);
  });

  it('reads every layer of the image, with its own deletions', () => {
    const mid = path.join(tmp, 'mid');
    fs.mkdirSync(path.join(mid, 'data'), { recursive: true });
    makeWhiteout(path.join(mid, 'data/gone'));
    fs.mkdirSync(path.join(mid, 'dir/sub'), { recursive: true });
    markOpaque(path.join(mid, 'dir/sub'));
    // Re-creating what a lower layer deleted is an addition; a whiteout of it deletes nothing visible.
    write(upper, 'data/gone', 'back');
    fs.mkdirSync(path.join(upper, 'dir/sub'), { recursive: true });
    makeWhiteout(path.join(upper, 'dir/sub/f2'));
    for (const d of ['data', 'dir', 'dir/sub']) {
      fs.chmodSync(path.join(upper, d), 0o755);
      fs.chmodSync(path.join(mid, d), 0o755);
    }
    expect(listChanges(upper, [mid, base]).map((c) => `${c.kind} ${c.path}`)).toEqual(['C /data', 'A /data/gone']);
  });

  it('reports everything as added on an image with no layers', () => {
    write(upper, 'x/y', '');
    expect(listChanges(upper, []).map((c) => `${c.kind} ${c.path}`)).toEqual(['A /x', 'A /x/y']);
  });
});
