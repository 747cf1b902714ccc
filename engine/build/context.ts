// The build context: a directory, read in place, or a tar (`-`: standard
// input; gzip, bzip2 and xz too) unpacked into the build's scratch space as
// hostile input (no device nodes, nothing outside), or none at all (an empty
// context: `''` with the Dockerfile given as text, or a Dockerfile rather
// than a tar on standard input, as docker's `build - < Dockerfile`). Also
// finds the Dockerfile (default `Dockerfile`, then `dockerfile`, unless its
// text is given: `-f -`) and reads `.dockerignore`, which decides what COPY
// and ADD can see.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { invalidArgument } from '../errors';
import { detectCompression } from '../fs/decompress';
import { unpackLayer } from '../fs/tarUnpack';
import { isTarHeader } from './archive';
import { isInside, readContextFile, readRegularFile, type Unreadable } from './contextFile';
import { PatternMatcher, readDockerignore } from './dockerignore';
import type { BuildScratch } from './scratch';
import { ContextTree } from './sourceTree';

const defaultDockerfile = 'Dockerfile';

export interface ContextRequest {
  /** A directory, '-' for standard input (a tar, or a Dockerfile), or '' for an empty context. */
  context: string;
  /** For a directory: absolute, or relative to it (may lie outside it). For a tar: a path inside it. */
  dockerfile?: string;
  /** The Dockerfile's text, read from nowhere else. */
  dockerfileText?: string;
}

export interface BuildContext {
  tree: ContextTree;
  dockerfile: string; // its text
}

export async function openContext(req: ContextRequest, scratch: BuildScratch, stdin: () => NodeJS.ReadableStream): Promise<BuildContext> {
  if (req.context === '') {
    if (req.dockerfileText === undefined) throw invalidArgument('unable to prepare context: an empty context needs the Dockerfile given as text');
    return emptyContext(scratch, req.dockerfileText);
  }
  if (req.context === '-') {
    if (req.dockerfileText !== undefined) throw invalidArgument("can't use stdin for both build context and dockerfile");
    const input = await archiveOrText(stdin());
    if (typeof input === 'string') return emptyContext(scratch, input);
    const dir = scratch.mkdir('context');
    try {
      await unpackLayer(input, dir, { allowDevices: false });
    } catch (err) {
      throw invalidArgument(`unable to read the build context from standard input: ${(err as Error).message}`);
    }
    const tree = new ContextTree(dir, ignoreIn(dir), true);
    return { tree, dockerfile: readDockerfile(dir, req.dockerfile, true) };
  }
  const given = path.resolve(req.context);
  const stats = fs.statSync(given, { throwIfNoEntry: false });
  if (!stats) throw invalidArgument(`unable to prepare context: path ${JSON.stringify(req.context)} not found`);
  if (!stats.isDirectory()) throw invalidArgument(`unable to prepare context: context must be a directory: ${given}`);
  // As the docker CLI: the context is the directory a symlinked path leads to.
  const dir = fs.realpathSync(given);
  return { tree: new ContextTree(dir, ignoreIn(dir), false), dockerfile: req.dockerfileText ?? readDockerfile(dir, req.dockerfile, false) };
}

/** No files for COPY and ADD to see: an empty directory of the build's own. */
function emptyContext(scratch: BuildScratch, dockerfile: string): BuildContext {
  return { tree: new ContextTree(scratch.mkdir('context'), null, true), dockerfile };
}

/**
 * Standard input as docker's CLI reads it: an archive (compressed, or a tar
 * whose first header's checksum holds) is the context; anything else is the
 * Dockerfile, whose text this resolves to.
 */
async function archiveOrText(input: NodeJS.ReadableStream): Promise<Readable | string> {
  const bytes = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);
  const it = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < 512 && !ended) {
    const next = await it.next();
    if (next.done) ended = true;
    else {
      const chunk = bytes(next.value);
      chunks.push(chunk);
      length += chunk.length;
    }
  }
  const head = Buffer.concat(chunks);
  if (isArchive(head)) {
    return Readable.from(
      (async function* () {
        try {
          yield head;
          if (!ended) for (let n = await it.next(); !n.done; n = await it.next()) yield bytes(n.value);
        } finally {
          await it.return?.();
        }
      })(),
    );
  }
  if (!ended) for (let n = await it.next(); !n.done; n = await it.next()) chunks.push(bytes(n.value));
  return Buffer.concat(chunks).toString('utf8');
}

function isArchive(head: Buffer): boolean {
  return detectCompression(head) !== 'none' || isTarHeader(head);
}

function ignoreIn(dir: string): PatternMatcher | null {
  const read = readContextFile(dir, '.dockerignore');
  if (read === 'missing') return null;
  if (typeof read === 'string') throw invalidArgument(`error checking context: .dockerignore: ${unreadable[read]}`);
  try {
    const matcher = new PatternMatcher(readDockerignore(read.toString('utf8')));
    return matcher.empty ? null : matcher;
  } catch (err) {
    throw invalidArgument(`error checking context: ${(err as Error).message}`);
  }
}

const unreadable: Record<Unreadable, string> = {
  missing: 'no such file',
  outside: 'a symlink leading outside the build context',
  'not a regular file': 'not a regular file',
};

/**
 * The Dockerfile's text, whatever .dockerignore says: the first of the
 * default names that exists, or the one given. A path inside the context
 * is read inside it only (see ./contextFile); a directory context's
 * Dockerfile may also be a file elsewhere that the request names itself
 * (`-f ../Dockerfile`, as Docker allows).
 */
function readDockerfile(dir: string, given: string | undefined, isTar: boolean): string {
  const shown = given ?? defaultDockerfile;
  const fail = (why: Unreadable) =>
    invalidArgument(`Cannot locate specified Dockerfile: ${shown}${why === 'missing' ? '' : ` (${unreadable[why]})`}`);
  const inside = isTar ? (given ?? '').replace(/^\/+/, '') : given === undefined ? '' : path.resolve(dir, given);
  let read: Buffer | Unreadable;
  if (!isTar && inside !== '' && !isInside(dir, inside)) {
    read = readRegularFile(realOrSame(inside), () => true, shown);
  } else {
    const rel = isTar || inside === '' ? inside : path.relative(dir, inside);
    const candidates = rel !== '' ? [rel] : [defaultDockerfile, defaultDockerfile.toLowerCase()];
    // As the docker CLI: `dockerfile` only when there is no `Dockerfile` at all.
    read = 'missing';
    for (const name of candidates) {
      read = readContextFile(dir, name);
      if (read !== 'missing') break;
    }
  }
  if (typeof read === 'string') throw fail(read);
  return read.toString('utf8');
}

/** The file a path leads to, as the docker CLI's EvalSymlinks; itself when nothing is there. */
function realOrSame(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
