// The reference for Strata's pattern matchers: Go's filepath.Match and
// moby's patternmatcher themselves, from Debian's golang-go and
// golang-github-moby-patternmatcher-dev, built once per test file from
// engine/build/fixtures/gomatch and asked many questions in one run.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type GoQuery =
  | { kind: 'match'; pattern: string; name: string }
  | { kind: 'ignore'; patterns: string[]; name: string; parent: boolean };

export interface GoAnswer {
  match: boolean;
  err?: string;
}

const source = path.resolve(__dirname, '..', 'build', 'fixtures', 'gomatch', 'main.go');

/** Builds the reference program; returns a function that answers queries in order. */
export function goPatterns(): { ask: (queries: GoQuery[]) => GoAnswer[]; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gomatch-'));
  const binary = path.join(dir, 'gomatch');
  execFileSync('go', ['build', '-o', binary, source], {
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(dir, 'cache'), GOFLAGS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    ask(queries) {
      const input = queries.map((q) => JSON.stringify(q)).join('\n') + '\n';
      const out = execFileSync(binary, { input, maxBuffer: 1 << 28 }).toString();
      return out.trimEnd().split('\n').map((line) => JSON.parse(line) as GoAnswer);
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
