// A private dockerd for comparisons: its own data, exec root, pid file and
// socket, no iptables, no bridge; the given registries are insecure. Other
// engineers may run one too, so nothing of it is shared. With `bridge` (an
// existing bridge of the caller's, with its address) it networks containers
// on it with iptables, as a real dockerd does; the caller removes its rules.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivateDocker {
  /** Runs `docker ARGS` against it; resolves to stdout (stderr on failure in the error). */
  docker(args: string[]): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startDockerd(dir: string, insecure: string[], opts: { bridge?: string } = {}): Promise<PrivateDocker> {
  fs.mkdirSync(dir, { recursive: true });
  const sock = path.join(dir, 'sock');
  const log = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const args = ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'pid'), '-H', `unix://${sock}`];
  args.push(...(opts.bridge ? ['--bridge', opts.bridge, '--iptables=true'] : ['--iptables=false', '--bridge=none']));
  for (const r of insecure) args.push('--insecure-registry', r);
  const child: ChildProcess = spawn('dockerd', args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'cli') };
  const docker = (a: string[]) => run('docker', ['-H', `unix://${sock}`, ...a], { env, maxBuffer: 64 << 20 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dockerd exited: ${fs.readFileSync(path.join(dir, 'dockerd.log'), 'utf8').slice(-2000)}`);
    try {
      await docker(['version', '--format', '{{.Server.Version}}']);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error('dockerd did not answer within 60 s');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    docker,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      // dockerd leaves its data root (and what is under it) mounted on itself: detach those, deepest first.
      const mounts = fs
        .readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m === dir || m.startsWith(dir + '/'))
        .sort((a, b) => b.length - a.length);
      for (const m of mounts) await run('umount', ['-l', m]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
