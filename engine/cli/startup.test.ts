// What a listing pays for at start-up: `strata ps` and `images` (bin/strata,
// compiled by `npm test`'s build) open the engine without the lifecycle,
// networking, registry or image-writing code, yet still record what died
// while no engine watched. The time itself is measured by the benchmark
// (engine/bench/filters.ts), not here.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const strataBin = path.join(repo, 'bin', 'strata');

let root: string;

function strata(args: string[], preload?: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: root };
  delete env.STRATA_RUNROOT;
  const r = preload
    ? spawnSync(process.execPath, ['-r', preload, strataBin, ...args], { env, encoding: 'utf8', timeout: 30_000 })
    : spawnSync(strataBin, args, { env, encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
  expect(r.status, `strata ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

/** The repository's modules a command loaded, relative to the repository. */
function modulesLoadedBy(args: string[]): string[] {
  const list = path.join(root, 'modules.json');
  const preload = path.join(root, 'record-modules.js');
  fs.writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
  strata(args, preload);
  return (JSON.parse(fs.readFileSync(list, 'utf8')) as string[]).filter((m) => m.startsWith(repo)).map((m) => path.relative(repo, m));
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-startup-'));
  strata(['bootstrap']);
  strata(['create', '--label', 'x=1', '--network', 'none', 'starter', 'true']);
});

afterEach(() => {
  const ids = strata(['ps', '-aq']).split('\n').filter(Boolean);
  if (ids.length > 0) strata(['rm', '-f', ...ids]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a listing at start-up', () => {
  it.each([
    [['ps', '--filter', 'label=x']],
    [['ps', '-a']],
    [['images', '--filter', 'dangling=true']],
  ])('strata %j loads no lifecycle, network, registry or image-writing code', (args) => {
    const loaded = modulesLoadedBy(args);
    expect(loaded).toContain('dist/engine/engine.js');
    // Ports are shown with network/'s port helpers; wiring a network (netavark, attach, check) is not needed.
    const heavy = loaded.filter((m) =>
      /^dist\/engine\/(runtime\/(lifecycle|spec|security|exits|create|prepare)|network\/(attach|check|netavark|networks|connect)|registry\/|image\/(save|load|import)|filters\/(events|networks|volumes))\b/.test(m),
    );
    expect(heavy).toEqual([]);
  });

  it('still records a container that died while no engine watched', () => {
    const id = strata(['run', '-d', '--network', 'none', 'starter', 'sleep', '1000']).trim();
    const pid = Number(fs.readFileSync(path.join(root, 'run', id, 'init.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 500 && !fs.existsSync(path.join(root, 'run', id, 'exit.json')); i++) spawnSync('sleep', ['0.01']);
    expect(strata(['ps', '-q', '--no-trunc'])).toBe('');
    expect(strata(['ps', '-a', '--filter', `id=${id}`, '--format', '{{.Status}}'])).toMatch(/^Exited \(137\) /);
  });
});
