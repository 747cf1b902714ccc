// `strata search` against a local stand-in for Docker Hub's index (the
// term names it: "127.0.0.1:PORT/term", as docker searches a named
// registry), and `strata manifest inspect` against a real registry.

import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryTestEngine, type RegistryTestEngine } from './testing/harness';
import { dockerArchive, skopeoManifest, skopeoPush } from './testing/images';
import { startRegistry, type RegistryServer } from './testing/registryServer';

const run = promisify(execFile);
const strata = path.resolve(__dirname, '..', '..', 'bin', 'strata');
let t: RegistryTestEngine;
let index: http.Server;
let indexHost: string;
let registry: RegistryServer;
const asked: string[] = [];

beforeAll(async () => {
  t = registryTestEngine();
  index = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        num_results: 3,
        query: 'busy',
        results: [
          { name: 'busybox', description: 'Busybox base image.', star_count: 3200, is_official: true, is_automated: false },
          { name: 'someone/busy-tools', description: 'A long description that goes on and on past forty-five characters', star_count: 12, is_official: false, is_automated: true },
          { name: 'other/busy', description: '', star_count: 0, is_official: false, is_automated: false },
        ],
      }),
    );
  });
  await new Promise<void>((r) => index.listen(0, '127.0.0.1', r));
  indexHost = `127.0.0.1:${(index.address() as AddressInfo).port}`;
  registry = await startRegistry({ dir: path.join(t.dir, 'registry') });
});

afterAll(async () => {
  await new Promise((r) => index?.close(r));
  await registry?.stop();
  await t?.dispose();
});

const env = () => ({ ...process.env, STRATA_ROOT: t.root, STRATA_CONFIG_ROOT: t.configRoot, DOCKER_CONFIG: t.dockerConfig });

describe('search', () => {
  it('prints docker’s table, truncating descriptions, with --limit and --filter', async () => {
    const { stdout } = await run(strata, ['search', `${indexHost}/busy`], { env: env() });
    expect(stdout).toBe(
      [
        'NAME                 DESCRIPTION                                     STARS     OFFICIAL   AUTOMATED',
        'busybox              Busybox base image.                             3200      [OK]       ',
        'someone/busy-tools   A long description that goes on and on past …   12                   [OK]',
        'other/busy                                                           0                    ',
        '',
      ].join('\n'),
    );
    expect(asked.at(-1)).toBe('/v1/search?q=busy&n=25');
    const filtered = await run(strata, ['search', '--filter', 'stars=10', '--filter', 'is-official=false', '--limit', '5', '--format', '{{.Name}}', `${indexHost}/busy`], { env: env() });
    expect(filtered.stdout).toBe('someone/busy-tools\n');
    expect(asked.at(-1)).toBe('/v1/search?q=busy&n=5');
    await expect(run(strata, ['search', '--filter', 'color=blue', `${indexHost}/busy`], { env: env() })).rejects.toMatchObject({
      stderr: "Error: Invalid filter 'color'\n",
    });
  });
});

describe('manifest inspect', () => {
  it('prints the manifest the registry serves, tab-indented as docker does', async () => {
    const img = dockerArchive(t.dir, 'x:1', [{ files: { 'etc/x': 'x\n' } }]);
    skopeoPush(img.archive, `${registry.host}/m/inspect:1`);
    const { stdout } = await run(strata, ['manifest', 'inspect', `${registry.host}/m/inspect:1`], { env: env() });
    expect(stdout).toBe(`${JSON.stringify(skopeoManifest(`${registry.host}/m/inspect:1`), null, '\t')}\n`);
    await expect(run(strata, ['manifest', 'inspect', `${registry.host}/m/inspect:2`], { env: env() })).rejects.toMatchObject({
      stderr: `Error: no such manifest: ${registry.host}/m/inspect:2\n`,
    });
  });
});
