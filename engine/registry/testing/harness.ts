// What registry tests share: a temporary engine (real kernel, the starter
// image) whose registry settings and credentials live in a test-only config
// root, and helpers to run a pull or push to its end, collecting messages.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PullMessage, PullOptions, PushMessage, PushOptions } from '../../api';
import { EngineError } from '../../errors';
import { openLocalClient, type LocalClient } from '../../rpc/local';
import { claimTestNetwork } from '../../testing/testNetwork';

export interface RegistryTestEngine {
  dir: string;
  root: string;
  configRoot: string;
  dockerConfig: string;
  client: LocalClient;
  /** Writes <configRoot>/strata/config.json (with the test's network keys). */
  settings(config: Record<string, unknown>): void;
  dispose(): Promise<void>;
}

export function registryTestEngine(): RegistryTestEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-registry-'));
  const root = path.join(dir, 'root');
  const configRoot = path.join(dir, 'etc');
  const dockerConfig = path.join(dir, 'docker-config');
  // The settings file keeps this test process's own bridge and subnets (engine/testing/testNetwork.ts).
  const network = claimTestNetwork().keys;
  const writeSettings = (config: Record<string, unknown>) => {
    fs.mkdirSync(path.join(configRoot, 'strata'), { recursive: true });
    fs.writeFileSync(path.join(configRoot, 'strata', 'config.json'), JSON.stringify({ ...network, ...config }));
  };
  writeSettings({});
  const client = openLocalClient({ root, configRoot, dockerConfigDir: dockerConfig });
  return {
    dir,
    root,
    configRoot,
    dockerConfig,
    client,
    settings: writeSettings,
    async dispose() {
      for (const c of await client.call('container.list', { all: true })) await client.call('container.remove', { id: c.id, force: true });
      client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a stream to its end; rejects with the engine's error. `onMessage` may close it (return true). */
function drain<M>(client: LocalClient, name: 'image.pull' | 'image.push', arg: PullOptions | PushOptions, stop?: (m: M) => boolean): Promise<M[]> {
  return new Promise((resolve, reject) => {
    const got: M[] = [];
    let handle: { close(): void } | undefined;
    let closed = false;
    handle = client.open(name as 'image.pull', arg as PullOptions, {
      onMessage(m) {
        got.push(m as M);
        if (!closed && stop?.(m as M)) {
          closed = true;
          handle?.close();
        }
      },
      onEnd(err) {
        if (err) reject(Object.assign(EngineError.fromPayload(err), { messages: got }));
        else resolve(got);
      },
    });
  });
}

export const pullAll = (client: LocalClient, arg: PullOptions, stop?: (m: PullMessage) => boolean) => drain<PullMessage>(client, 'image.pull', arg, stop);
export const pushAll = (client: LocalClient, arg: PushOptions) => drain<PushMessage>(client, 'image.push', arg);

/** Docker's lines of a transfer, as its CLI prints them without a terminal. */
export function lines(messages: Array<PullMessage | PushMessage>): string[] {
  const out: string[] = [];
  for (const m of messages) {
    if (m.type === 'status') out.push(`${m.id !== undefined ? `${m.id}: ` : ''}${m.text}`);
    else if (m.type === 'layer' && m.current === undefined) out.push(`${m.id}: ${m.status}`);
  }
  return out;
}
