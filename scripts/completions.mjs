// Writes the shell completion scripts the deb package installs
// (dist/completion/: bash, zsh, fish), from the compiled CLI, as
// `strata completion SHELL` prints them. Run by `npm run build` after tsc.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const { completionScript } = createRequire(import.meta.url)(path.join(root, 'dist/engine/cli/completion/scripts.js'));
const out = path.join(root, 'dist', 'completion');
fs.mkdirSync(out, { recursive: true });
for (const [shell, file] of [['bash', 'strata.bash'], ['zsh', '_strata'], ['fish', 'strata.fish']]) {
  fs.writeFileSync(path.join(out, file), completionScript(shell));
}
