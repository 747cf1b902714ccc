// `strata system service` as the tests run it: the real command (bin/strata,
// compiled) on a fresh engine root with the starter image, listening on a
// socket in a temp dir; and Docker's clients pointed at it or at a private
// dockerd, returning what they print and their exit codes.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalClient, type LocalClient } from '../../rpc/local';

/** bin/strata of the checkout, seen from engine/dockerapi/testing or its compiled copy under dist/. */
function findStrataBin(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'bin', 'strata');
  }
  throw new Error(`no package.json above ${__dirname}`);
}

export const strataBin = findStrataBin();

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a program to its end; never rejects on a non-zero exit (tests compare exit codes). */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      if (err && code === -1 && !(err as { killed?: boolean }).killed) return reject(err);
      resolve({ stdout, stderr, code });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface StrataService {
  root: string;
  socket: string;
  /** unix:///.../docker.sock */
  dockerHost: string;
  /** The starter image's reference. */
  image: string;
  /** The environment a Docker client uses to reach it (DOCKER_HOST and a private DOCKER_CONFIG). */
  env: NodeJS.ProcessEnv;
  docker(args: string[], input?: string): Promise<Outcome>;
  /** The strata CLI on the same store. */
  strata(args: string[]): Promise<Outcome>;
  stop(): Promise<void>;
}

export async function startStrataService(): Promise<StrataService> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-dockerapi-test-'));
  const setup: LocalClient = openLocalClient({ root });
  const { reference } = await setup.call('image.bootstrap', {});
  setup.close();
  const socket = path.join(root, 'docker.sock');
  const dockerHost = `unix://${socket}`;
  // The settings ($STRATA_CONFIG_ROOT) are the test process's: its own bridge and subnets (engine/testing/testNetwork.ts).
  const strataEnv = { ...process.env, STRATA_ROOT: root };
  const child: ChildProcess = spawn(process.execPath, [strataBin, 'system', 'service', '--socket', dockerHost], { env: strataEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d));
  child.stderr?.on('data', (d: Buffer) => (log += d));
  const deadline = Date.now() + 30_000;
  while (!log.includes('serving the Docker Engine API')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`strata system service did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const env = { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: path.join(root, 'docker-config') };
  return {
    root,
    socket,
    dockerHost,
    image: reference,
    env,
    docker: (args, input) => runProgram('docker', args, env, input),
    strata: (args) => runProgram(strataBin, args, strataEnv),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      const client = openLocalClient({ root });
      for (const c of await client.call('container.list', { all: true })) await client.call('container.remove', { id: c.id, force: true });
      client.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A Docker client's environment for a private dockerd's socket. */
export function dockerdEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: `unix://${path.join(dir, 'sock')}`, DOCKER_CONFIG: path.join(dir, 'cli') };
}

export interface Beside {
  strata: StrataService;
  /** A docker client's environment for the private dockerd. */
  dockerdEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** The service and a private dockerd (registry/testing/dockerd.ts) holding the same starter image, to compare against. */
export async function startBesideDockerd(): Promise<Beside> {
  const { startDockerd } = await import('../../registry/testing/dockerd');
  const strata = await startStrataService();
  const dir = path.join(strata.root, 'dockerd');
  const dockerd = await startDockerd(dir, []);
  const archive = path.join(strata.root, 'starter.tar');
  const saved = await strata.strata(['save', '-o', archive, strata.image]);
  if (saved.code !== 0) throw new Error(`strata save: ${saved.stderr}`);
  await dockerd.docker(['load', '-i', archive]);
  return {
    strata,
    dockerdEnv: dockerdEnv(dir),
    async stop() {
      await dockerd.stop();
      await strata.stop();
    },
  };
}
