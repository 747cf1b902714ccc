import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../store/db';
import { openStore, type Store } from '../store/store';
import { bootstrapImage, starterSource } from './bootstrap';
import { formatTimestamp } from '../oci/config';
import { parseElf } from './elf';
import { pathWithoutBusybox } from '../testing/noBusybox';

let roots: string[] = [];
let dbs: Db[] = [];

function freshStore(): Store {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bootstrap-'));
  const db = openDb(path.join(root, 'strata.db'));
  roots.push(root);
  dbs.push(db);
  return openStore(db, root);
}

beforeEach(() => {
  roots = [];
  dbs = [];
});
afterEach(() => {
  for (const db of dbs) db.close();
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

describe('bootstrapImage from a static busybox (Debian\'s busybox-static, a test dependency)', () => {
  it('makes busybox with a hard link per applet, passwd, group and Cmd sh', async () => {
    expect(parseElf(fs.readFileSync('/bin/busybox'))?.interpreter ?? null, '/bin/busybox is static').toBeNull();
    const store = freshStore();
    const made = await bootstrapImage(store);
    const { id, reference } = made;
    expect(made.warning).toBeUndefined();
    expect(starterSource()).toEqual({ from: 'busybox', detail: expect.stringMatching(/^busybox from \/.*busybox \(static\)$/) });
    expect(reference).toBe('starter:latest');
    const image = store.images.resolveImage('starter');
    expect(image.id).toBe(id);
    const version = /BusyBox v(\S+)/.exec(execFileSync('/bin/busybox', ['--help'], { encoding: 'utf8' }))![1];
    expect(image.config).toMatchObject({
      os: 'linux',
      created: formatTimestamp(fs.statSync('/bin/busybox').mtimeMs),
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
      history: [{ created_by: `strata bootstrap: busybox ${version} from ${fs.realpathSync('/bin/busybox')}` }],
    });

    const diff = store.layers.diffDir(image.topLayer!);
    const busybox = fs.statSync(path.join(diff, 'bin', 'busybox'));
    expect(fs.readFileSync(path.join(diff, 'bin', 'busybox')).equals(fs.readFileSync('/bin/busybox'))).toBe(true);
    for (const applet of execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' }).trim().split('\n')) {
      if (applet === 'linuxrc') continue;
      expect(fs.statSync(path.join(diff, applet)).ino, applet).toBe(busybox.ino);
    }
    expect(fs.readFileSync(path.join(diff, 'etc', 'passwd'), 'utf8')).toBe(
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    );
    expect(fs.statSync(path.join(diff, 'tmp')).mode & 0o7777).toBe(0o1777);
    for (const d of ['dev', 'proc', 'sys', 'root', 'home', 'var', 'usr/bin']) expect(fs.statSync(path.join(diff, d)).isDirectory()).toBe(true);
    expect(execFileSync('chroot', [diff, '/bin/sh', '-c', 'echo ok'], { encoding: 'utf8' })).toBe('ok\n');
  });

  it('gives the same image id every time on the same machine', async () => {
    const store = freshStore();
    const first = await bootstrapImage(store, { reference: 'a:1' });
    const second = await bootstrapImage(store, { reference: 'b' });
    const elsewhere = await bootstrapImage(freshStore());
    expect(second.id).toBe(first.id);
    expect(elsewhere.id).toBe(first.id);
    expect(store.images.getImage(first.id).repoTags).toEqual(['a:1', 'b:latest']);
    expect(fs.readdirSync(store.layers.dir).filter((n) => n !== 'l')).toHaveLength(1);
  });
});

function hiddenBusybox(): string {
  const dir = pathWithoutBusybox();
  roots.push(dir);
  return dir;
}

describe('bootstrapImage from the host programs', () => {
  it('holds sh, the README\'s coreutils and their libraries, and says in one line what it lacks', async () => {
    const store = freshStore();
    const searchPath = hiddenBusybox();
    expect(starterSource({ searchPath })).toMatchObject({ from: 'host', warning: expect.stringContaining('sudo apt-get install busybox-static') });
    const made = await bootstrapImage(store, { searchPath, reference: 'hostbox' });
    expect(made.warning).toMatch(/^busybox is not installed, so the starter image holds only \d+ of this machine's own programs .*: sudo apt-get install busybox-static && strata bootstrap$/);
    expect(made.warning).not.toContain('\n');
    const image = store.images.resolveImage('hostbox');
    expect(image.id).toBe(made.id);
    expect(image.config.history![0].created_by).toMatch(/^strata bootstrap: host programs sh true touch find ls cat echo sleep id /);
    const diff = store.layers.diffDir(image.topLayer!);

    // Every program's loader and libraries are there, where the program will look.
    const sh = parseElf(fs.readFileSync(path.join(diff, 'bin', 'sh')))!;
    expect(sh).not.toBeNull();
    if (sh.interpreter) expect(fs.statSync(path.join(diff, sh.interpreter)).isFile()).toBe(true);
    const libs = fs.readdirSync(diff, { recursive: true, encoding: 'utf8' }).filter((p) => /\.so(\.|$)/.test(p));
    for (const lib of sh.needed) expect(libs.some((p) => path.basename(p) === lib), lib).toBe(true);

    expect(execFileSync('chroot', [diff, '/bin/sh', '-c', 'echo ok'], { encoding: 'utf8' })).toBe('ok\n');
    expect(execFileSync('chroot', [diff, '/bin/ls', '/bin'], { encoding: 'utf8' }).split('\n')).toEqual(
      expect.arrayContaining(['sh', 'true', 'touch', 'find', 'ls', 'cat', 'echo', 'sleep', 'id']),
    );
    expect(execFileSync('chroot', [diff, '/bin/id', '-u'], { encoding: 'utf8' })).toBe('0\n');
    expect(execFileSync('chroot', [diff, '/bin/find', '/etc', '-name', 'passwd'], { encoding: 'utf8' })).toBe('/etc/passwd\n');

    const again = await bootstrapImage(freshStore(), { from: 'host' });
    expect(again.id).toBe(made.id);
  });

  it('is refused, naming what is missing and the fix, when the machine lacks a required program', async () => {
    const store = freshStore();
    const searchPath = hiddenBusybox();
    fs.rmSync(path.join(searchPath, 'find'));
    await expect(bootstrapImage(store, { searchPath })).rejects.toThrow(
      'cannot make the starter image: no busybox, and this machine lacks find (install busybox: sudo apt-get install busybox-static)',
    );
    expect(store.images.count()).toBe(0);
  });
});
