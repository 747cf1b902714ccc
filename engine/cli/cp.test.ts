// `strata cp` end to end, as a user types it: bin/strata against a fresh
// engine root, on the real kernel. Expected behaviour is what docker's CLI
// (28) against dockerd 20.10 did here for the same commands: the same
// placement rules, names, owners and errors. Paths inside a container are
// resolved inside it (its symlinks never lead to the host's files), and the
// local side never follows a link the archive made.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const strataBin = path.resolve(__dirname, '../../bin/strata');
let root: string;
let work: string;

function strata(args: string[], input: string | Buffer = ''): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(strataBin, args, { env: { ...process.env, STRATA_ROOT: root }, input, cwd: work, timeout: 30_000, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function ok(...args: string[]): string {
  const r = strata(args);
  expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
  expect(r.code, `strata ${args.join(' ')}`).toBe(0);
  return r.stdout.toString();
}

/** `tar` as the user would list or make an archive. */
function tar(args: string[], input?: Buffer): Buffer {
  const r = spawnSync('tar', args, { input, cwd: work });
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout;
}

const inContainer = (name: string, script: string) => ok('exec', name, 'sh', '-c', script);
const local = (...p: string[]) => path.join(work, ...p);

/** Every `strata-shim rootfs` still running, and every mount under the engine root or the work dir. */
function leftovers(): string[] {
  const shims = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      } catch {
        return [];
      }
    })
    .filter((argv) => argv[1] === 'rootfs' && argv.includes(path.join(root, 'containers')))
    .map((argv) => argv.join(' '));
  const mounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(root) || m.startsWith(work));
  return [...shims, ...mounts];
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-cp-'));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cp-work-'));
  ok('bootstrap');
  ok(
    'run', '-d', '--name', 'box', '--network', 'none', '-v', 'keep:/data', 'starter', 'sh', '-c',
    [
      'mkdir -p /d/sub && echo one > /d/a && echo two > /d/sub/b',
      'echo container-shadow > /etc/shadow && ln -s /etc/shadow /d/sh && mkdir /e && ln -s ../../../.. /e/up && echo e > /e/f',
      'ln -s /d /dl && ln -s /etc /etclink && echo kept > /data/v',
      'touch /ready && exec sleep 600',
    ].join('; '),
  );
  for (let i = 0; i < 100 && strata(['exec', 'box', 'test', '-e', '/ready']).code !== 0; i++) spawnSync('sleep', ['0.1']);
});
afterAll(() => {
  const ids = strata(['ps', '-aq', '--no-trunc']).stdout.toString().split('\n').filter(Boolean);
  if (ids.length > 0) strata(['rm', '-f', '-v', ...ids]);
  strata(['volume', 'rm', 'keep']);
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('cp out of a container', () => {
  it('places files and directories by docker\'s rules', () => {
    ok('cp', 'box:/d', 'fresh'); // a directory to a new name
    expect(fs.readFileSync(local('fresh/sub/b'), 'utf8')).toBe('two\n');
    expect(fs.readlinkSync(local('fresh/sh'))).toBe('/etc/shadow'); // a symlink is copied as a symlink
    fs.mkdirSync(local('into'));
    ok('cp', 'box:/d/a', 'into'); // a file into an existing directory
    ok('cp', 'box:/d/sub/.', 'into'); // a directory's contents
    expect(fs.readdirSync(local('into')).sort()).toEqual(['a', 'b']);
    ok('cp', 'box:/d/a', 'into/renamed'); // a file to a new name
    expect(fs.readFileSync(local('into/renamed'), 'utf8')).toBe('one\n');
    ok('cp', 'box:/dl/', 'through'); // a trailing '/' follows the symlink, the entry keeps the link's name
    expect(fs.readdirSync(local('through')).sort()).toEqual(['a', 'sh', 'sub']);
    expect(tar(['tv'], strata(['cp', 'box:/d/sub', '-']).stdout).toString()).toMatch(/^drwxr-xr-x 0\/0 +0 .* sub\/\n-rw-r--r-- 0\/0 +4 .* sub\/b\n$/);
    expect(tar(['t'], strata(['cp', 'box:/dl/.', '-']).stdout).toString().split('\n')[0]).toBe('./');
    // Files taken out belong to the user running the CLI, as docker's CLI leaves them.
    expect(fs.statSync(local('fresh/a')).uid).toBe(process.getuid!());
  });

  it('resolves symlinks inside the container: -L copies the container\'s /etc/shadow, never the host\'s', () => {
    ok('cp', '-L', 'box:/d/sh', 'shadow');
    expect(fs.readFileSync(local('shadow'), 'utf8')).toBe('container-shadow\n');
    expect(fs.readFileSync('/etc/shadow', 'utf8')).not.toContain('container-shadow');
    ok('cp', 'box:/etclink/shadow', 'shadow2');
    expect(fs.readFileSync(local('shadow2'), 'utf8')).toBe('container-shadow\n');
    ok('cp', 'box:/e/up/etc/shadow', 'shadow3'); // '..' stops at the container's root
    expect(fs.readFileSync(local('shadow3'), 'utf8')).toBe('container-shadow\n');
  });

  it('refuses a relative symlink leading out of the destination, and writes the rest', () => {
    const r = strata(['cp', 'box:/e', 'guarded']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`invalid symlink "${local('guarded/up')}" -> "../../../.."\n`);
    expect(fs.existsSync(local('guarded/up'))).toBe(false);
    expect(fs.readFileSync(local('guarded/f'), 'utf8')).toBe('e\n');
  });

  it('says what is wrong, as docker says it', () => {
    fs.writeFileSync(local('plain'), 'x');
    expect(strata(['cp', 'box:/nope', 'x'])).toMatchObject({ code: 1, stderr: 'Error: Could not find the file /nope in container box\n' });
    expect(strata(['cp', 'box:/d/a/', 'x'])).toMatchObject({ code: 1, stderr: 'Error: /d/a/: not a directory\n' });
    expect(strata(['cp', 'box:/d', 'plain'])).toMatchObject({ code: 1, stderr: 'Error: cannot copy directory\n' });
    expect(strata(['cp', 'box:/d/a', 'missing/'])).toMatchObject({ code: 1, stderr: 'Error: no such directory\n' });
    expect(strata(['cp', 'box:/d', 'no/such/dir'])).toMatchObject({ code: 1, stderr: `Error: invalid output path: directory "${local('no/such')}" does not exist\n` });
    expect(strata(['cp', 'box:/a', 'box:/b'])).toMatchObject({ code: 1, stderr: 'Error: copying between containers is not supported\n' });
    expect(strata(['cp', 'a', 'b'])).toMatchObject({ code: 1, stderr: 'Error: must specify at least one container source\n' });
    expect(strata(['cp', 'plain', 'nobody:/'])).toMatchObject({ code: 1, stderr: 'Error: No such container: nobody\n' });
  });
});

describe('cp into a container', () => {
  it('places files and directories by docker\'s rules, keeping the archive\'s owners', () => {
    fs.mkdirSync(local('tree/deeper'), { recursive: true });
    fs.writeFileSync(local('tree/deeper/f'), 'deep\n');
    fs.writeFileSync(local('owned'), 'mine\n');
    fs.chownSync(local('owned'), 1234, 2345);
    ok('cp', 'owned', 'box:/d'); // into a directory
    ok('cp', 'owned', 'box:/d/renamed'); // to a new name
    ok('cp', 'tree', 'box:/newtree'); // a directory to a new name
    ok('cp', 'tree/.', 'box:/d/sub'); // its contents into a directory
    expect(inContainer('box', 'stat -c "%u:%g %n" /d/owned /d/renamed; cat /newtree/deeper/f /d/sub/deeper/f')).toBe('1234:2345 /d/owned\n1234:2345 /d/renamed\ndeep\ndeep\n');
    const streamed = tar(['c', '--owner=77', '--group=88', 'owned']);
    expect(strata(['cp', '-', 'box:/d/sub'], streamed)).toMatchObject({ code: 0, stderr: '' });
    expect(inContainer('box', 'stat -c "%u:%g" /d/sub/owned')).toBe('77:88\n');
    expect(strata(['cp', '-', 'box:/d/a'], streamed)).toMatchObject({ code: 1, stderr: 'Error: destination "box:/d/a" must be a directory\n' });
    expect(strata(['cp', 'tree', 'box:/d/a'])).toMatchObject({ code: 1, stderr: 'Error: cannot copy directory\n' });
    expect(strata(['cp', 'owned', 'box:/nodir/'])).toMatchObject({ code: 1, stderr: 'Error: no such directory\n' });
  });

  it('follows the container\'s symlinks inside the container: a file sent to /etclink lands in its /etc, not the host\'s', () => {
    const name = `strata-cp-canary-${process.pid}`;
    fs.writeFileSync(local(name), 'canary\n');
    ok('cp', name, 'box:/etclink/');
    ok('cp', name, 'box:/e/up/etc/');
    expect(inContainer('box', `cat /etc/${name}`)).toBe('canary\n');
    expect(fs.existsSync(`/etc/${name}`)).toBe(false);
  });

  it('reads a hostile archive as hostile: an entry leading out is refused and nothing lands on the host', () => {
    const evil = path.join(os.tmpdir(), `strata-cp-evil-${process.pid}`);
    fs.mkdirSync(local('hostile/in'), { recursive: true });
    fs.writeFileSync(local('hostile/in/x'), 'x');
    const archive = tar(['c', '-C', local('hostile/in'), `--transform=s|^x$|../../../../../..${evil}|`, '-P', 'x']);
    const r = strata(['cp', '-', 'box:/d'], archive);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is outside of the destination/);
    expect(fs.existsSync(evil)).toBe(false);
  });

  it('with -a gives the files to the container\'s user', () => {
    ok('create', '--name', 'as-user', '--user', '4321:4322', '--network', 'none', 'starter', 'true');
    ok('cp', '-a', 'owned', 'as-user:/tmp');
    ok('cp', 'owned', 'as-user:/tmp/plain');
    expect(tar(['tvn'], strata(['cp', 'as-user:/tmp', '-']).stdout).toString()).toMatch(/-rw-r--r-- 4321\/4322 .* tmp\/owned\n.*1234\/2345 .* tmp\/plain\n/s);
  });
});

describe('cp with a container that is not running', () => {
  it('copies into a created container and out of an exited one, volumes included, leaving no mount behind', () => {
    ok('create', '--name', 'later', '--network', 'none', '-v', 'keep:/data', 'starter', 'sh', '-c', 'cat /given /data/v > /data/seen');
    fs.writeFileSync(local('given'), 'given\n');
    ok('cp', 'given', 'later:/');
    ok('cp', 'given', 'later:/data/');
    expect(leftovers()).toEqual([]);
    expect(strata(['start', '-a', 'later']).stdout.toString()).toBe('');
    // Out of the exited container: its volume, read through it.
    ok('cp', 'later:/data/seen', 'seen');
    expect(fs.readFileSync(local('seen'), 'utf8')).toBe('given\nkept\n');
    ok('cp', 'later:/given', 'given-back');
    expect(fs.readFileSync(local('given-back'), 'utf8')).toBe('given\n');
    expect(fs.readFileSync(path.join(root, 'volumes/keep/_data/given'), 'utf8')).toBe('given\n');
    expect(leftovers()).toEqual([]);
  });

  it('shows a running container\'s files without its /proc, /sys or /dev, as docker does', () => {
    const listed = tar(['t'], strata(['cp', 'box:/', '-']).stdout).toString().split('\n');
    expect(listed).toContain('/proc/');
    expect(listed.filter((l) => /^\/(proc|sys)\/./.test(l))).toEqual([]);
    expect(listed).toContain('/data/v'); // its volume is there
    expect(listed).toContain('/etc/hosts');
    expect(leftovers()).toEqual([]);
  });
});
