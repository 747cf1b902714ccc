// The house's layering (DESIGN.md): the store is the floor and the renderer
// sees only the contract. Checked on the import statements themselves, so a
// slip fails here rather than in a review.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Repo-relative paths of the files a source file imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((spec) => relative(repo, resolve(dirname(file), spec)));
}

function slips(dir: string, allowed: (target: string) => boolean): string[] {
  return sources(join(repo, dir)).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target))
      .map((target) => `${relative(repo, file)} -> ${target}`),
  );
}

describe('layering', () => {
  it('the store imports nothing from image/, runtime/ or any part above it', () => {
    const below = ['engine/store/', 'engine/oci/', 'engine/errors', 'engine/api', 'engine/inspect', 'engine/paths', 'engine/fs/', 'engine/native/'];
    expect(slips('engine/store', (t) => below.some((b) => t.startsWith(b)))).toEqual([]);
  });

  it('the OCI formats import only the contract and the errors', () => {
    const below = ['engine/oci/', 'engine/errors', 'engine/inspect', 'engine/api'];
    expect(slips('engine/oci', (t) => below.some((b) => t.startsWith(b)))).toEqual([]);
  });

  it("the renderer reaches no engine part that runs on Node: only the contract and the bridge's pure pieces", () => {
    const seen = new Set<string>();
    const visit = (file: string): string[] => {
      if (seen.has(file)) return [];
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      const nodeImports = [...text.matchAll(/from\s+['"](node:[^'"]+|better-sqlite3|undici)['"]/g)].map((m) => `${relative(repo, file)} -> ${m[1]}`);
      const engineFiles = importsOf(file)
        .filter((t) => t.startsWith('engine/'))
        .map((t) => join(repo, /\.tsx?$/.test(t) ? t : `${t}.ts`));
      return [...nodeImports.filter((n) => !/^renderer\//.test(n)), ...engineFiles.flatMap(visit)];
    };
    expect(sources(join(repo, 'renderer/src')).flatMap(visit)).toEqual([]);
  });
});
