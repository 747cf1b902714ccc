// A real engine in a fresh temporary root, for integration tests: the real
// kernel, the real shim, the starter image. Everything it made is removed
// afterwards (containers first, so no mount, monitor or cgroup is left).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CreateOptions, StdioMessage } from '../api';
import { openLocalClient, type LocalClient } from '../rpc/local';

export interface TempEngine {
  root: string;
  client: LocalClient;
  image: string;
  /** Runs a container to its end (like `strata run`), returning its output and exit code. */
  run(cmd: string[], opts?: Omit<CreateOptions, 'image' | 'cmd'>): Promise<RunResult>;
  /** Runs one more process in a running container (like `strata exec`), returning its output. */
  exec(id: string, cmd: string[]): Promise<string>;
  dispose(): Promise<void>;
}

export interface RunResult {
  id: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function tempEngine(): Promise<TempEngine> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-test-'));
  const client = openLocalClient({ root });
  const { reference } = await client.call('image.bootstrap', {});
  const engine: TempEngine = {
    root,
    client,
    image: reference,
    async run(cmd, opts = {}) {
      const { id } = await client.call('container.create', { image: reference, cmd, ...opts });
      return { id, ...(await collect(client, id)) };
    },
    exec(id, cmd) {
      return new Promise((resolve, reject) => {
        let out = '';
        client.open('container.exec', { id, cmd }, {
          onMessage(m: StdioMessage) {
            if ('data' in m) out += Buffer.from(m.data).toString();
          },
          onEnd: (err) => (err ? reject(new Error(err.message)) : resolve(out)),
        });
      });
    },
    async dispose() {
      for (const c of await client.call('container.list', { all: true })) {
        await client.call('container.remove', { id: c.id, force: true });
      }
      client.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return engine;
}

/** Starts a created container attached and collects its output until it exits. */
export function collect(client: LocalClient, id: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let exitCode = -1;
    client.open('container.startAttached', { id }, {
      onMessage(m: StdioMessage) {
        if ('exit' in m) exitCode = m.exit;
        else if (m.stream === 'stdout') stdout += Buffer.from(m.data).toString();
        else stderr += Buffer.from(m.data).toString();
      },
      onEnd(err) {
        if (err) reject(Object.assign(new Error(err.message), { code: err.code }));
        else resolve({ stdout, stderr, exitCode });
      },
    });
  });
}
