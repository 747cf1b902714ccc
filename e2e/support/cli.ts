// The `strata` command line in a child process on the specs' engine root,
// as a person in a terminal beside the app would run it; and the docker CLI
// pointed at the app's Docker API service.

import { spawn } from 'node:child_process';
import { repo, strataBin } from './paths';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** When the process exited (ms since the epoch). */
  exitedAt: number;
}

/** Runs `strata ARGS` on the specs' engine root, or on another one given in `env` (a spec with a host of its own). */
export function strata(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return runChild(process.execPath, [strataBin, ...args], env);
}

/** The docker CLI on a DOCKER_HOST (the app's Docker API service), with a config of its own. */
export function docker(dockerHost: string, args: string[]): Promise<CliRun> {
  return runChild('docker', args, { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: `${process.env.STRATA_ROOT}/docker-config` });
}

function runChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr, exitedAt: Date.now() }));
  });
}
