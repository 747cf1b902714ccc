// The system call probe (syscallProbe.c), built static for the tests that
// run it inside containers (the starter image has no C library).

import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Compiles syscallProbe.c to DIR/probe; returns DIR, to bind into a container. */
export function buildSyscallProbe(dir: string): string {
  execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, 'probe'), path.join(__dirname, 'syscallProbe.c')]);
  return dir;
}
