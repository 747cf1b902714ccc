// What this build of Strata is: the package's version, and the commit and
// time `npm run build` recorded (scripts/build-info.mjs), for `--version`
// and `strata version`, as docker prints its version, commit and build time.

import fs from 'node:fs';
import path from 'node:path';

export interface BuildInfo {
  version: string;
  commit: string;
  /** RFC 3339, '' when not recorded. */
  built: string;
}

// dist/engine/cli/ → the package's root, and dist/.
const packageRoot = path.join(__dirname, '..', '..', '..');

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function buildInfo(): BuildInfo {
  const pkg = readJson(path.join(packageRoot, 'package.json'));
  const recorded = readJson(path.join(packageRoot, 'dist', 'build-info.json'));
  return {
    version: String(pkg.version ?? 'unknown'),
    commit: typeof recorded.commit === 'string' ? recorded.commit : 'unknown',
    built: typeof recorded.built === 'string' ? recorded.built : '',
  };
}
