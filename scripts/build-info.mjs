// Records what `strata --version` and `strata version` report of the build:
// the commit it was built from and when (dist/build-info.json, written by
// `npm run build`). Outside a git checkout the commit is "unknown".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // not a checkout (a packaged copy): the commit stays unknown
}
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist', 'build-info.json'), JSON.stringify({ commit, built: new Date().toISOString() }) + '\n');
