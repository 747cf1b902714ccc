// Debian's docker-registry (distribution 2.8) for tests and benchmarks: on
// 127.0.0.1, a free port, a fresh storage directory, plain HTTP or TLS,
// open, behind htpasswd basic auth, or behind token auth.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RegistryServerOptions {
  /** Where its storage, config and log go (created; removed by stop()). */
  dir: string;
  tls?: { cert: string; key: string };
  htpasswd?: string; // path
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

export interface RegistryServer {
  host: string; // 127.0.0.1:PORT
  port: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function configYaml(o: RegistryServerOptions, port: number): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(o.dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (o.tls) lines.push('  tls:', `    certificate: ${o.tls.cert}`, `    key: ${o.tls.key}`);
  if (o.htpasswd) lines.push('auth:', '  htpasswd:', '    realm: strata-test', `    path: ${o.htpasswd}`);
  if (o.token) {
    lines.push('auth:', '  token:', `    realm: ${o.token.realm}`, `    service: ${o.token.service}`, `    issuer: ${o.token.issuer}`, `    rootcertbundle: ${o.token.rootCertBundle}`);
  }
  return lines.join('\n') + '\n';
}

export async function startRegistry(o: RegistryServerOptions): Promise<RegistryServer> {
  fs.mkdirSync(path.join(o.dir, 'storage'), { recursive: true });
  const port = await freePort();
  const config = path.join(o.dir, 'config.yml');
  fs.writeFileSync(config, configYaml(o, port));
  const log = fs.openSync(path.join(o.dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${fs.readFileSync(path.join(o.dir, 'registry.log'), 'utf8')}`);
    if (await listening(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('docker-registry did not start listening within 15 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(o.dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
