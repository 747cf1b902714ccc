// End to end: bin/strata (compiled by `npm test`'s build) as a user runs it,
// against a fresh engine root per test, with the starter image bootstrapped.
// Every container a test makes is removed afterwards, then the root.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const strataBin = path.resolve(__dirname, '../../bin/strata');
const image = 'starter:latest';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let root: string;

function env(): NodeJS.ProcessEnv {
  const vars: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: root };
  delete vars.STRATA_RUNROOT; // the run root goes under the test's root
  return vars;
}

function strata(args: string[], options: { input?: string | Buffer; timeout?: number; cwd?: string } = {}): Result {
  const r = spawnSync(strataBin, args, { env: env(), input: options.input ?? '', timeout: options.timeout ?? 30_000, encoding: 'utf8', cwd: options.cwd });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs strata and expects success; returns stdout. */
function ok(...args: string[]): string {
  const r = strata(args);
  expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
  expect(r.code, `strata ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

function allContainerIds(): string[] {
  return strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-'));
  ok('bootstrap');
});

afterEach(() => {
  const ids = allContainerIds();
  if (ids.length > 0) strata(['rm', '-f', ...ids]);
  expect(allContainerIds()).toEqual([]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the command line itself', () => {
  it('prints help and version', () => {
    const help = ok('--help');
    expect(help).toContain('Usage:  strata [OPTIONS] COMMAND');
    expect(help).toMatch(/\n {2}run {9}Run a command in a new container\n/);
    // As `docker --version`: "Docker version 20.10.24+dfsg1, build 297e128".
    expect(ok('--version')).toMatch(/^Strata version \d+\.\d+\.\d+, build ([0-9a-f]{7}|unknown)\n$/);
    expect(ok('run', '--help')).toContain('  -h, --hostname string');
    expect(ok('help', 'run')).toBe(ok('run', '--help'));
  });

  it('never opens the engine for help, version or a usage error', () => {
    // An engine root that cannot be created: any attempt to open the engine would fail.
    const noEngine = { ...env(), STRATA_ROOT: '/etc/hostname/strata-cannot-be-here' };
    for (const args of [['--version'], ['--help'], ['run', '--help'], ['help', 'ps'], ['stop']]) {
      const r = spawnSync(strataBin, args, { env: noEngine, encoding: 'utf8' });
      expect(r.stderr, args.join(' ')).not.toContain('ENOTDIR');
      expect(r.status, args.join(' ')).toBe(args[0] === 'stop' ? 1 : 0);
    }
    const ps = spawnSync(strataBin, ['ps'], { env: noEngine, encoding: 'utf8' });
    expect(ps.stderr).toContain('ENOTDIR');
  });

  it('reports the engine in info and version', () => {
    const info = ok('info');
    expect(info).toMatch(/^Containers: 0\n Running: 0\n Paused: 0\n Stopped: 0\nImages: 1\n/);
    expect(info).toContain(`Strata Root Dir: ${root}\n`);
    expect(info).toMatch(/\nRuntimes: strata( runc)?( crun)?\nDefault Runtime: strata\n/);
    // docker version's layout: a client, then the server and its components.
    expect(ok('version')).toMatch(/^Client: Strata\n Version: {11}\d+\.\d+\.\d+\n Node.js version: {3}v\d+.*\nServer: Strata Engine\n Engine:\n {2}Version: {10}\d/s);
    expect(ok('version', '--format', '{{.Server.Version}}')).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(JSON.parse(ok('info', '--format', 'json'))).toMatchObject({ root, images: 1, containers: 0 });
  });

  it('refuses an unknown flag with exit 125 and a missing argument with exit 1, as docker', () => {
    expect(strata(['run', '--foo', image])).toEqual({ code: 125, stdout: '', stderr: "unknown flag: --foo\nSee 'strata run --help'.\n" });
    expect(strata(['run'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '"strata run" requires at least 1 argument.\nSee \'strata run --help\'.\n\n' +
        'Usage:  strata run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container\n',
    });
    expect(strata(['frobnicate']).code).toBe(1);
  });
});

describe('images', () => {
  it('bootstraps a starter image and lists it', () => {
    const out = ok('images');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY {3,}TAG {3,}IMAGE ID {3,}CREATED {3,}SIZE$/);
    expect(lines[1]).toMatch(/^starter {3,}latest {3,}[0-9a-f]{12} {3}.+ ago {3,}[\d.]+[kM]B$/);
    const [json] = ok('images', '--format', 'json').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(json)).toEqual([
      'Containers', 'CreatedAt', 'CreatedSince', 'Digest', 'ID', 'Repository', 'SharedSize', 'Size', 'Tag', 'UniqueSize', 'VirtualSize',
    ]);
    expect(json).toMatchObject({ Repository: 'starter', Tag: 'latest', Digest: '<none>' });
    expect(ok('images', '-q')).toBe(json.ID + '\n');
    const [inspected] = JSON.parse(ok('inspect', image));
    expect(inspected.Id).toBe(ok('images', '-q', '--no-trunc').trim());
    expect(inspected.RepoTags).toEqual([image]);
    expect(inspected.Config.Cmd).toEqual(['sh']);
  });

  it('imports a tarball from a file and from stdin', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-tar-'));
    try {
      fs.mkdirSync(path.join(dir, 'rootfs', 'etc'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'rootfs', 'etc', 'motd'), 'hello\n');
      const tarFile = path.join(dir, 'rootfs.tar');
      spawnSync('tar', ['-C', path.join(dir, 'rootfs'), '-cf', tarFile, '.']);
      const fromFile = ok('import', '-m', 'from a file', '-c', 'CMD ["cat", "/etc/motd"]', tarFile, 'motd:file');
      expect(fromFile).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      // spawnSync's input is a socket; a shell pipe is a pipe: both must work.
      const fromSocket = strata(['import', '-', 'motd:stdin'], { input: fs.readFileSync(tarFile) });
      expect(fromSocket).toMatchObject({ code: 0, stderr: '' });
      expect(fromSocket.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      const fromPipe = spawnSync('sh', ['-c', `cat "$1" | "$2" import - motd:pipe`, 'sh', tarFile, strataBin], { env: env(), encoding: 'utf8' });
      expect(fromPipe).toMatchObject({ status: 0, stderr: '' });
      expect(fromPipe.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      const [motd] = JSON.parse(ok('inspect', 'motd:file'));
      expect(motd.Comment).toBe('from a file');
      expect(motd.Config.Cmd).toEqual(['cat', '/etc/motd']);
      expect(ok('images', '--format', '{{.Tag}}', 'motd').split('\n').sort()).toEqual(['', 'file', 'pipe', 'stdin']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad import and changes nothing', () => {
    const before = ok('images', '-aq', '--no-trunc');
    const missing = strata(['import', '/nonexistent/rootfs.tar']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: .*\/nonexistent\/rootfs\.tar.*\n$/);
    const notTar = strata(['import', '-', 'junk:1'], { input: 'this is not a tar archive, not even close'.repeat(20) });
    expect(notTar.code).toBe(1);
    expect(notTar.stderr).toMatch(/^Error: .+\n$/);
    expect(ok('images', '-aq', '--no-trunc')).toBe(before);
  });
});

describe('run', () => {
  it("prints the command's output and exits with its status", () => {
    expect(strata(['run', '--rm', image, 'echo', 'hello', 'world'])).toEqual({ code: 0, stdout: 'hello world\n', stderr: '' });
    expect(strata(['run', '--rm', image, 'sh', '-c', 'exit 3']).code).toBe(3);
    expect(strata(['run', '--rm', image, 'sh', '-c', 'echo out; echo err >&2'])).toEqual({ code: 0, stdout: 'out\n', stderr: 'err\n' });
  });

  it('exits 127 for a missing command and 126 for a file that is not executable', () => {
    const missing = strata(['run', '--rm', image, 'nosuchcmd']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/^Error: .*nosuchcmd.*\n$/);
    const notExecutable = strata(['run', '--rm', image, '/etc/passwd']);
    expect(notExecutable.code).toBe(126);
    expect(notExecutable.stderr).toMatch(/^Error: .*\/etc\/passwd.*\n$/);
    expect(allContainerIds()).toEqual([]);
  });

  it('passes the container flags through (env, env-file, workdir, hostname, user, entrypoint, labels)', () => {
    const envFile = path.join(root, 'vars.env');
    fs.writeFileSync(envFile, '# a comment\nFROM_FILE=file value\nOVERRIDDEN=file\nFROM_CLI_ENV\n');
    const r = spawnSync(
      strataBin,
      ['run', '--rm', '--env-file', envFile, '-e', 'OVERRIDDEN=flag', '-w', '/tmp', '-h', 'box', '-u', 'nobody', image, 'sh', '-c', 'env; pwd; hostname; id -u'],
      { env: { ...env(), FROM_CLI_ENV: 'from the cli' }, encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('FROM_FILE=file value');
    expect(lines).toContain('OVERRIDDEN=flag');
    expect(lines).toContain('FROM_CLI_ENV=from the cli');
    expect(lines.slice(-4, -1)).toEqual(['/tmp', 'box', '65534']);
    expect(strata(['run', '--rm', '--entrypoint', 'echo', image, 'via', 'entrypoint']).stdout).toBe('via entrypoint\n');
    const id = ok('create', '-l', 'team=strata', '-l', 'flag', '--stop-signal', 'SIGUSR1', '--stop-timeout', '3', '--network', 'host', image).trim();
    const [c] = JSON.parse(ok('inspect', id));
    expect(c.HostConfig.NetworkMode).toBe('host');
    expect(strata(['create', '--network', 'nonet', image])).toMatchObject({ code: 1, stderr: 'Error: network nonet not found\n' });
    expect(c.Config.Labels).toEqual({ team: 'strata', flag: '' });
    expect(c.Config.StopSignal).toBe('SIGUSR1');
    expect(c.Config.StopTimeout).toBe(3);
  });

  it('bind-mounts an absolute source read-only; ./x is a host path, a name a volume, a path with a slash neither', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-bind-'));
    try {
      fs.writeFileSync(path.join(dir, 'note'), 'from the host\n');
      expect(strata(['run', '--rm', '-v', `${dir}:/mnt:ro`, image, 'cat', '/mnt/note']).stdout).toBe('from the host\n');
      expect(strata(['run', '--rm', '-v', `${dir}:/mnt:ro`, image, 'touch', '/mnt/x']).code).not.toBe(0);
      expect(strata(['run', '--rm', '-v', './note:/mnt/note:ro', image, 'cat', '/mnt/note'], { cwd: dir }).stdout).toBe('from the host\n');
      const slashed = strata(['run', '--rm', '-v', 'rel/x:/mnt', image, 'true']);
      expect(slashed.code).toBe(125);
      expect(slashed.stderr).toMatch(/^Error: create rel\/x: "rel\/x" includes invalid characters for a local volume name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds host devices with --device and all of them with --privileged, refusing a bad mapping as docker', () => {
    expect(ok('run', '--rm', '--device', '/dev/loop0:/dev/disk:r', image, 'sh', '-c', 'ls -l /dev/disk | cut -c1-10; cat /dev/disk && echo read')).toBe(
      'brw-------\nread\n',
    );
    expect(strata(['run', '--rm', image, 'sh', '-c', 'mknod /tmp/disk b 7 0 && cat /tmp/disk']).stderr).toBe(
      "cat: can't open '/tmp/disk': Operation not permitted\n",
    );
    expect(ok('run', '--rm', '--privileged', image, 'sh', '-c', 'cat /dev/loop0 && echo read')).toBe('read\n');
    const bad = strata(['run', '--rm', '--device', '/dev/loop0:/x:rwz', image, 'true']);
    expect([bad.code, bad.stderr]).toEqual([125, 'Error: bad mode specified: rwz\n']);
    const missing = strata(['run', '--rm', '--device', '/dev/no-such-device', image, 'true']);
    expect([missing.code, missing.stderr]).toEqual([
      125,
      'Error: error gathering device information while adding custom device "/dev/no-such-device": no such file or directory\n',
    ]);
    expect(allContainerIds()).toEqual([]);
  });

  it('leaves nothing behind with --rm', () => {
    ok('run', '--rm', image, 'true');
    expect(allContainerIds()).toEqual([]);
  });

  it('feeds stdin with -i and closes it at its end', () => {
    expect(strata(['run', '--rm', '-i', image, 'sh', '-c', 'cat; echo done'], { input: 'line 1\nline 2\n' })).toEqual({
      code: 0,
      stdout: 'line 1\nline 2\ndone\n',
      stderr: '',
    });
  });

  it('forwards a signal to the container when attached without a terminal', async () => {
    const child = spawn(strataBin, ['run', '--rm', image, 'sh', '-c', 'trap "echo got TERM; exit 7" TERM; echo ready; while true; do sleep 0.1; done'], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdout.on('data', (d) => {
      out += d;
      if (out === 'ready\n') child.kill('SIGTERM');
    });
    expect(await exited).toBe(7);
    expect(out).toBe('ready\ngot TERM\n');
  });

  it('does the classic experiment: the file lands in the writable layer only', () => {
    ok('run', '--name', 'classic', image, 'touch', 'happiness.txt');
    const id = ok('inspect', '-f', '{{.Id}}', 'classic').trim();
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.name === 'happiness.txt') found.push(path.relative(root, full));
        if (entry.isDirectory() && !entry.isSymbolicLink()) walk(full);
      }
    };
    walk(root);
    expect(found).toEqual([path.join('containers', id, 'upper', 'happiness.txt')]);
    expect(ok('diff', 'classic')).toBe('A /happiness.txt\n');
  });
});

describe('container lifecycle', () => {
  it('runs detached, lists, stops and removes', () => {
    const id = ok('run', '-d', '--name', 'sleeper', image, 'sleep', '1000').trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const table = ok('ps').trimEnd().split('\n');
    expect(table[0]).toMatch(/^CONTAINER ID {3}IMAGE {3,}COMMAND {3,}CREATED {3,}STATUS {3,}PORTS {3,}NAMES$/);
    expect(table[1]).toMatch(new RegExp(`^${id.slice(0, 12)} {3}starter:latest {3}"sleep 1000" {3,}.+ ago {3,}Up .+ {3,}sleeper$`));
    const [row] = ok('ps', '--format', 'json').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(row).toMatchObject({ ID: id.slice(0, 12), Names: 'sleeper', State: 'running', Command: '"sleep 1000"', Image: image });
    expect(row.Status).toMatch(/^Up /);
    expect(ok('ps', '-q')).toBe(id.slice(0, 12) + '\n');

    expect(ok('pause', 'sleeper')).toBe('sleeper\n');
    expect(ok('ps', '--format', '{{.Status}}')).toMatch(/^Up .* \(Paused\)\n$/);
    expect(ok('unpause', 'sleeper')).toBe('sleeper\n');

    const top = ok('top', 'sleeper').split('\n');
    expect(top[0]).toMatch(/PID/);
    expect(top.some((l) => l.includes('sleep 1000'))).toBe(true);

    const rm = strata(['rm', 'sleeper']);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toMatch(/^Error: .*running.*\n$/);

    expect(ok('stop', '-t', '1', 'sleeper')).toBe('sleeper\n');
    expect(ok('ps', '-q')).toBe('');
    expect(ok('ps', '-a', '--format', '{{.Names}} {{.State}} {{.Status}}')).toMatch(/^sleeper exited Exited \(137\) .+ ago\n$/);
    expect(ok('wait', 'sleeper')).toBe('137\n');
    expect(ok('rm', 'sleeper')).toBe('sleeper\n');
    expect(allContainerIds()).toEqual([]);
  });

  it('creates, starts, kills, restarts and renames', () => {
    const id = ok('create', '--name', 'c1', image, 'sleep', '1000').trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(ok('ps', '-a', '--format', '{{.State}}')).toBe('created\n');
    expect(ok('start', 'c1')).toBe('c1\n');
    expect(ok('kill', '-s', 'KILL', 'c1')).toBe('c1\n');
    expect(ok('wait', 'c1')).toBe('137\n');
    expect(ok('restart', '-t', '0', 'c1')).toBe('c1\n');
    expect(ok('ps', '--format', '{{.Names}}')).toBe('c1\n');
    ok('rename', 'c1', 'c2');
    expect(ok('ps', '--format', '{{.Names}}')).toBe('c2\n');
    expect(ok('rm', '-f', 'c2')).toBe('c2\n');
  });

  it('starts attached with start -a and exits with the status', () => {
    ok('create', '--name', 'once', image, 'sh', '-c', 'echo attached; exit 5');
    expect(strata(['start', '-a', 'once'])).toEqual({ code: 5, stdout: 'attached\n', stderr: '' });
  });

  it('prints logs, with timestamps and a tail', () => {
    expect(strata(['run', '--name', 'talker', image, 'sh', '-c', 'echo one; echo two >&2; echo three']).code).toBe(0);
    expect(strata(['logs', 'talker'])).toEqual({ code: 0, stdout: 'one\nthree\n', stderr: 'two\n' });
    // Lines of one stream keep their order; across stdout and stderr there is none to keep.
    ok('run', '--name', 'counter', image, 'sh', '-c', 'echo one; echo two; echo three');
    expect(ok('logs', '--tail', '2', 'counter')).toBe('two\nthree\n');
    const stamped = ok('logs', '-t', '--tail', '1', 'counter');
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z three\n$/);
  });

  it('follows logs until the container stops', () => {
    ok('run', '-d', '--name', 'ticker', image, 'sh', '-c', 'echo a; sleep 1; echo b');
    expect(strata(['logs', '-f', 'ticker'])).toEqual({ code: 0, stdout: 'a\nb\n', stderr: '' });
  });

  it('execs in a running container', () => {
    ok('run', '-d', '--name', 'box', image, 'sleep', '1000');
    expect(ok('exec', 'box', 'echo', 'hi')).toBe('hi\n');
    expect(strata(['exec', 'box', 'sh', '-c', 'exit 4']).code).toBe(4);
    expect(ok('exec', '-e', 'GREETING=hello', '-w', '/tmp', 'box', 'sh', '-c', 'echo $GREETING; pwd')).toBe('hello\n/tmp\n');
    expect(strata(['exec', '-i', 'box', 'cat'], { input: 'piped\n' }).stdout).toBe('piped\n');
    // dockerd 20.10: exec of a missing program exits 126 (run's exits 127).
    const missing = strata(['exec', 'box', 'nosuchcmd']);
    expect(missing.code).toBe(126);
    expect(missing.stderr).toContain('nosuchcmd');
    const envFile = path.join(root, 'exec.env');
    fs.writeFileSync(envFile, 'FROM_FILE=yes\n# a comment\n');
    expect(ok('exec', '--env-file', envFile, 'box', 'sh', '-c', 'echo $FROM_FILE')).toBe('yes\n');
    const capEff = (args: string[]) => /CapEff:\s*(\S+)/.exec(ok('exec', ...args, 'box', 'cat', '/proc/self/status'))![1];
    expect(capEff([])).toBe('00000000a80425fb');
    expect(capEff(['--privileged'])).not.toBe('00000000a80425fb');
    ok('exec', '-d', 'box', 'touch', '/tmp/from-detached-exec');
    let listed = '';
    for (let i = 0; i < 20 && !listed.includes('from-detached-exec'); i++) listed = ok('exec', 'box', 'ls', '/tmp');
    expect(listed).toContain('from-detached-exec');
    ok('stop', '-t', '0', 'box');
    const stopped = strata(['exec', 'box', 'true']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/^Error: .*not running.*\n$/);
  });

  it("inspects a container with docker's fields", () => {
    ok('create', '--name', 'insp', '-e', 'A=1', '--rm', image, 'echo', 'x');
    const out = ok('inspect', 'insp');
    expect(out).toMatch(/^\[\n {4}\{\n {8}"Id": "[0-9a-f]{64}",\n/);
    const [c] = JSON.parse(out);
    expect(c.Name).toBe('/insp');
    expect(c.State.Status).toBe('created');
    expect(c.Path).toBe('echo');
    expect(c.Args).toEqual(['x']);
    expect(c.Config.Env).toContain('A=1');
    expect(c.HostConfig.AutoRemove).toBe(true);
    expect(c.GraphDriver.Data.UpperDir).toBe(path.join(root, 'containers', c.Id, 'upper'));
    expect(ok('inspect', '--format', '{{.State.Status}} {{json .Args}}', 'insp')).toBe('created ["x"]\n');
    expect(strata(['inspect', '--type', 'image', 'insp']).code).toBe(1);
  });

  it('reports events live, in docker line and JSON formats', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    ok('run', '--rm', '--name', 'evt', image, 'true');
    const lines = await collectEvents(['events', '--since', since]);
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container start [0-9a-f]{64} \(.*name=evt.*\)$/.test(l))).toBe(true);
    const json = (await collectEvents(['events', '--since', since, '--format', 'json'])).map((l) => JSON.parse(l));
    const start = json.find((e) => e.Type === 'container' && e.Action === 'start');
    expect(Object.keys(start)).toEqual(['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
    expect(start.Actor.Attributes.name).toBe('evt');
    expect(start.from).toBe(image);
  });
});

describe('kernel steps in events', () => {
  it('shows what the kernel was asked to do, in both formats, up to --until', () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const id = ok('run', '-d', '--network', 'none', image, 'sleep', '60').trim();
    ok('stop', '-t', '1', id);
    const kernel = (...more: string[]) => ok('events', '--since', since, '--until', String(Date.now() / 1000 + 1), '--filter', 'type=kernel', ...more);
    const json = kernel('--format', 'json').trim().split('\n').map((l) => JSON.parse(l));
    expect(json.every((e) => e.Type === 'kernel' && e.Actor.ID === id)).toBe(true);
    const steps = json.map((e) => e.Action);
    for (const step of ['clone', 'namespaces', 'cgroup', 'mount', 'pivot_root', 'capabilities', 'exec', 'signal', 'exit']) expect(steps).toContain(step);
    const overlay = json.find((e) => e.Action === 'mount' && e.Actor.Attributes.type === 'overlay').Actor.Attributes;
    expect(overlay.upperdir).toBe(path.join(root, 'containers', id, 'upper'));
    expect(overlay.command).toMatch(/^cd \S+ && mount -t overlay overlay -o lowerdir=/);
    // sleep as PID 1 ignores SIGTERM: stop kills it after the second of grace.
    expect(json.filter((e) => e.Action === 'signal').map((e) => `${e.Actor.Attributes.signal} ${e.Actor.Attributes.reason}`)).toEqual(['SIGTERM stop', 'SIGKILL stop-timeout']);
    const lines = kernel('--filter', 'event=signal').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+Z kernel signal ${id} \\(command=kill -TERM \\d+, number=15, pid=\\d+, reason=stop, signal=SIGTERM\\)$`));
  });
});

/** Runs a live `strata events` for a moment and returns its lines. */
function collectEvents(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(strataBin, args, { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out.split('\n').filter(Boolean)));
    setTimeout(() => child.kill('SIGINT'), 1500);
  });
}

describe('errors', () => {
  it("answers unknown names as docker's CLI does", () => {
    expect(strata(['stop', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: 'Error: No such container: nosuch\n' });
    const two = strata(['stop', 'nosuch', 'nosuch2']);
    expect(two.code).toBe(1);
    expect(two.stderr).toBe('Error: No such container: nosuch\nError: No such container: nosuch2\n');
    expect(strata(['inspect', 'nosuch'])).toEqual({ code: 1, stdout: '[]\n', stderr: 'Error: No such object: nosuch\n' });
    expect(strata(['rm', '-f', 'nosuch'])).toEqual({ code: 0, stdout: '', stderr: '' });
    // --pull never: a missing image is otherwise pulled, and tests reach no registry beyond 127.0.0.1.
    const run = strata(['run', '--pull', 'never', 'nosuchimage']);
    expect(run.code).toBe(125);
    expect(run.stderr).toMatch(/^Error: .*nosuchimage.*\n$/);
    expect(allContainerIds()).toEqual([]);
  });

  it('prints the successes and the failures of a mixed list', () => {
    ok('create', '--name', 'real', image);
    const r = strata(['rm', 'real', 'nosuch']);
    expect(r).toEqual({ code: 1, stdout: 'real\n', stderr: 'Error: No such container: nosuch\n' });
  });

  it('refuses a duplicate name and an invalid one', () => {
    const id = ok('create', '--name', 'dup', image).trim();
    const again = strata(['create', '--name', 'dup', image]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error: .*"\/dup" is already in use by container "[0-9a-f]{64}".*\n$/);
    expect(again.stderr).toContain(id);
    expect(strata(['run', '--name', 'dup', image, 'true']).code).toBe(125);
    const bad = strata(['create', '--name', 'bad name', image]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('Error: Invalid container name (bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n');
    expect(allContainerIds()).toEqual([id]);
  });

  it('refuses an ambiguous id prefix', () => {
    // 17 containers: two of them must share their first hex digit.
    const ids: string[] = [];
    for (let i = 0; i < 17; i++) ids.push(ok('create', image).trim());
    const byFirst = new Map<string, number>();
    for (const id of ids) byFirst.set(id[0], (byFirst.get(id[0]) ?? 0) + 1);
    const shared = [...byFirst].find(([, n]) => n > 1)![0];
    const r = strata(['rm', shared]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*multiple.*\n$/i);
    expect(allContainerIds()).toHaveLength(17);
    const unique = ids.find((id) => ids.filter((other) => other.startsWith(id.slice(0, 8))).length === 1)!;
    expect(ok('rm', unique.slice(0, 8))).toBe(unique.slice(0, 8) + '\n');
  });
});

describe('terminal', () => {
  // python3's pty module plays the user's terminal.
  const ptyPrelude = `
import os, pty, sys, time, struct, fcntl, termios, select, json
def readuntil(fd, needle, timeout=15):
    buf = b''
    end = time.time() + timeout
    while needle not in buf and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf
def spawn(*args):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
        os.execv(sys.argv[1], [sys.argv[1], *args])
    return pid, fd
def finish(pid, out):
    _, status = os.waitpid(pid, 0)
    out['code'] = os.waitstatus_to_exitcode(status)
    print(json.dumps(out))
`;

  function inPty(script: string): Record<string, string | number> {
    const r = spawnSync('python3', ['-c', ptyPrelude + script, strataBin], { env: env(), encoding: 'utf8', timeout: 40_000 });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  }

  it('gives run -it a prompt, follows a resize and exits with the shell', () => {
    // 24x80 at the start, 40x120 after a resize.
    const out = inPty(`
pid, fd = spawn('run', '-it', '--rm', '${image}', 'sh')
out = {}
out['prompt'] = readuntil(fd, b'# ').decode(errors='replace')
os.write(fd, b'stty size\\n')
out['first'] = readuntil(fd, b'24 80').decode(errors='replace')
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
time.sleep(0.5)
os.write(fd, b'stty size\\n')
out['resized'] = readuntil(fd, b'40 120').decode(errors='replace')
os.write(fd, b'exit 3\\n')
readuntil(fd, b'never', 5)
finish(pid, out)
`);
    expect(out.prompt).toContain('/ # '); // busybox then asks for the cursor position (ESC [6n)
    expect(out.first).toContain('24 80');
    expect(out.resized).toContain('40 120');
    expect(out.code).toBe(3);
    expect(allContainerIds()).toEqual([]);
  });

  it('detaches on ctrl-p ctrl-q and leaves the container running', () => {
    const out = inPty(`
pid, fd = spawn('run', '-it', '--name', 'detached', '${image}', 'sh')
out = {'prompt': readuntil(fd, b'# ').decode(errors='replace')}
os.write(fd, b'\\x10\\x11')
readuntil(fd, b'never', 3)
finish(pid, out)
`);
    expect(out.prompt).toContain('/ # ');
    expect(out.code).toBe(0);
    expect(ok('ps', '--format', '{{.Names}} {{.State}}')).toBe('detached running\n');
  });
});
