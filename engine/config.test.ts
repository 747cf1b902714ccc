import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function withFile(text: string | null): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-config-'));
  roots.push(root);
  if (text !== null) {
    fs.mkdirSync(path.join(root, 'strata'));
    fs.writeFileSync(path.join(root, 'strata', 'config.json'), text);
  }
  return root;
}

describe("Strata's settings file", () => {
  it('is optional: every key falls back', () => {
    const config = loadConfig(withFile(null));
    expect(config.strings('insecure-registries')).toEqual([]);
    expect(config.positiveInteger('max-concurrent-downloads', 3)).toBe(3);
    expect(config.raw('anything')).toBeUndefined();
  });

  it("reads daemon.json's keys", () => {
    const config = loadConfig(withFile('{"insecure-registries": ["h:5000"], "max-concurrent-downloads": 6}'));
    expect(config.strings('insecure-registries')).toEqual(['h:5000']);
    expect(config.positiveInteger('max-concurrent-downloads', 3)).toBe(6);
    expect(config.raw('toString')).toBeUndefined();
  });

  it('refuses a bad file or value in one line naming the file and the key', () => {
    const bad = withFile('[1]');
    expect(() => loadConfig(bad)).toThrow(`invalid configuration file ${bad}/strata/config.json: not a JSON object`);
    const root = withFile('{"insecure-registries": "h", "max-concurrent-downloads": 0}');
    const config = loadConfig(root);
    expect(() => config.strings('insecure-registries')).toThrow(`invalid configuration file ${root}/strata/config.json: insecure-registries must be a list of strings`);
    expect(() => config.positiveInteger('max-concurrent-downloads', 3)).toThrow(/max-concurrent-downloads must be a positive integer$/);
  });
});
