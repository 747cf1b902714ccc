// Debian's docker-compose 1.29 driving Strata through the Docker API: a
// two-service project with a build, a user network (the client finds the
// web service by its name), a named volume and a published port; `ps` and
// `logs` as compose prints them; `down -v` leaves nothing behind.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../registry/testing/registryServer';
import { runProgram, startStrataService, type StrataService } from './testing/service';

let strata: StrataService;

beforeAll(async () => {
  strata = await startStrataService();
}, 120_000);

afterAll(async () => {
  await strata?.stop();
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

it('brings a project up with a build, a network, a volume and a port; ps, logs; down -v removes it all', async () => {
  const project = path.join(strata.root, 'project');
  fs.mkdirSync(path.join(project, 'web'), { recursive: true });
  fs.writeFileSync(path.join(project, 'web', 'Dockerfile'), 'FROM starter\nCOPY index.html /www/\nCMD ["httpd", "-f", "-p", "80", "-h", "/www"]\n');
  fs.writeFileSync(path.join(project, 'web', 'index.html'), 'served by strata\n');
  const port = await freePort();
  fs.writeFileSync(
    path.join(project, 'docker-compose.yml'),
    [
      'version: "3.7"',
      'services:',
      '  web:',
      '    build: ./web',
      `    ports: ["127.0.0.1:${port}:80"]`,
      '    networks: [back]',
      '    volumes: ["data:/data"]',
      '  client:',
      '    image: starter',
      // busybox's wget -T crashes here: timeout bounds it instead.
      "    command: sh -c 'echo kept > /data/note; until timeout 2 wget -q -O - http://web/; do sleep 0.2; done; sleep 600'",
      '    networks: [back]',
      '    volumes: ["data:/data"]',
      '    depends_on: [web]',
      'networks:',
      '  back: {}',
      'volumes:',
      '  data: {}',
      '',
    ].join('\n'),
  );
  const compose = (...args: string[]) => runProgram('docker-compose', ['-p', 'strata14', '--project-directory', project, '-f', path.join(project, 'docker-compose.yml'), ...args], strata.env);

  const up = await compose('up', '-d');
  expect(up.code, up.stderr).toBe(0);
  expect(up.stderr).toMatch(/Creating network "strata14_back"/);
  expect(up.stderr).toMatch(/Creating volume "strata14_data"/);

  const ps = await compose('ps');
  expect(ps.code, ps.stderr).toBe(0);
  expect(ps.stdout).toMatch(/strata14_web_1\s.*Up\s.*127\.0\.0\.1:\d+->80\/tcp/);
  expect(ps.stdout).toMatch(/strata14_client_1\s.*Up/);

  expect(await get(port)).toBe('served by strata\n');
  let logs = '';
  for (let i = 0; i < 50 && !logs.includes('served by strata'); i++) {
    logs = (await compose('logs', '--no-color', 'client')).stdout;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(logs).toMatch(/client_1\s+\| served by strata/);

  // What compose made is Strata's: the CLI on the same store sees it.
  expect((await strata.strata(['ps', '--format', '{{.Names}}'])).stdout.split('\n').sort()).toEqual(['', 'strata14_client_1', 'strata14_web_1']);
  expect((await strata.strata(['volume', 'ls', '-q'])).stdout).toContain('strata14_data');

  const down = await compose('down', '-v', '-t', '1');
  expect(down.code, down.stderr).toBe(0);
  expect((await strata.strata(['ps', '-aq'])).stdout).toBe('');
  expect((await strata.strata(['network', 'ls', '--format', '{{.Name}}'])).stdout).not.toContain('strata14_back');
  expect((await strata.strata(['volume', 'ls', '-q'])).stdout).not.toContain('strata14_data');
}, 180_000);
