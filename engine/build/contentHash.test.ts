import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, instructionHash, sourceHash } from './contentHash';
import { ContextTree, ImageTree } from './sourceTree';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hash-'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'a.txt'), 'hello\n');
  fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), 'world\n');
  fs.writeFileSync(path.join(dir, 'sub', 'c.md'), 'x\n');
  for (const f of ['a.txt', 'sub/b.txt', 'sub/c.md']) fs.chmodSync(path.join(dir, f), 0o644);
  fs.chmodSync(path.join(dir, 'sub'), 0o755);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const node = (tree: ContextTree | ImageTree, rel: string) => tree.lookup(rel, false).node!;

describe('content hashes', () => {
  // The values Docker 20.10 recorded (`COPY file:... in .`, `COPY dir:... in /app/sub/`,
  // `ADD multi:... in /app/many/`) for these same files in a DOCKER_BUILDKIT=0 build.
  it('are the ones Docker records for a directory context', () => {
    const tree = new ContextTree(dir, null, false);
    expect(sourceHash(tree, node(tree, 'a.txt'))).toBe('file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda');
    expect(sourceHash(tree, node(tree, 'sub'))).toBe('dir:616a919271908fc6f09e4b87f3fbc8f1692b64554fd109d84a80b34ea1249175');
    const multi = instructionHash([sourceHash(tree, node(tree, 'a.txt')), sourceHash(tree, node(tree, 'sub/b.txt'))]);
    expect(multi).toBe('multi:3ca5e9b64b894eb6c8209c13da1539caad36d173b18fa2f17126946190d3e83a');
  });

  it('ignore mtime, but not content, mode or owner', () => {
    const tree = new ContextTree(dir, null, true);
    const file = path.join(dir, 'a.txt');
    const before = entryHash(tree, node(tree, 'a.txt'));
    fs.utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(entryHash(tree, node(tree, 'a.txt'))).toBe(before);
    fs.chmodSync(file, 0o600);
    expect(entryHash(tree, node(tree, 'a.txt'))).not.toBe(before);
    fs.chmodSync(file, 0o644);
    fs.chownSync(file, 1234, 1234); // counts where owners come from the context (a tar)
    expect(entryHash(tree, node(tree, 'a.txt'))).not.toBe(before);
    fs.chownSync(file, 0, 0);
    fs.writeFileSync(file, 'hello!\n');
    expect(entryHash(tree, node(tree, 'a.txt'))).not.toBe(before);
  });

  it('hash an image file as Docker\'s daemon does (file type in the mode, host user names)', () => {
    // `COPY --from=first /app/r.txt` of a file holding "run 1 7\n", as Docker 20.10 recorded it.
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'r.txt'), 'run 1 7\n', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'app', 'r.txt'), 0o644);
    const tree = new ImageTree([dir]);
    expect(sourceHash(tree, node(tree, 'app/r.txt'))).toBe('file:d6879ae122c351f8efae09108c057e5a42430816814b77ea804ed22b51d68d66');
  });
});
