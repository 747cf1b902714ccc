// The crash loop the crash tests share: an operation of the real CLI is
// killed with SIGKILL at many of its steps (crashPoint.ts), and after each
// kill `strata system check` must find the store clean, or `--repair` must
// make it so; then the operation must still work. Runs the compiled CLI
// (`npm test` builds first) against a root of its own.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const cli = path.resolve(__dirname, '..', '..', 'bin', 'strata');
const preload = path.resolve(__dirname, '..', '..', 'dist', 'engine', 'testing', 'crashPoint.js');

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One operation to kill: what it needs first, its command line, and how to put things back after. */
export interface CrashCase {
  name: string;
  prepare?(i: number): void;
  args(i: number): string[];
  /** What must hold after each kill (beyond a clean check), e.g. no half-written output. */
  after?(i: number): string | undefined;
  reset?(i: number): void;
}

export interface CrashReport {
  /** Steps the operation takes, counted on a run that is not killed. */
  steps: number;
  killedAt: number[];
  /** The problems check found after a kill, before --repair (one entry per kill that left some). */
  repaired: string[][];
  failures: string[];
}

export class CrashStore {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-crash-'));

  run(args: string[], extra: NodeJS.ProcessEnv = {}): Run {
    const env: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: this.root, ...extra };
    delete env.STRATA_RUNROOT;
    const r = spawnSync(cli, args, { env, encoding: 'utf8', timeout: 120_000 });
    if (r.error) throw r.error;
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs and expects success. */
  ok(...args: string[]): string {
    const r = this.run(args);
    if (r.status !== 0) throw new Error(`strata ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  /** Kills the whole tree that follows, then removes the root. */
  dispose(): void {
    const ids = this.run(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) this.run(['rm', '-f', ...ids]);
    this.run(['system', 'check', '--repair']);
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private steps(args: string[]): number {
    const file = path.join(this.root, '.crash-count');
    const r = this.run(args, { NODE_OPTIONS: `--require ${preload}`, STRATA_CRASH_COUNT: file });
    if (r.status !== 0) throw new Error(`strata ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const n = Number(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file);
    return n;
  }

  /**
   * Kills `c` at `points` of its steps spread over the whole operation (all of
   * them when points is 0), checking and repairing after each kill.
   */
  crashLoop(c: CrashCase, points: number): CrashReport {
    c.prepare?.(0);
    const steps = this.steps(c.args(0));
    c.reset?.(0);
    const report: CrashReport = { steps, killedAt: spread(steps, points), repaired: [], failures: [] };
    report.killedAt.forEach((at, k) => {
      const i = k + 1;
      c.prepare?.(i);
      const killed = this.run(c.args(i), { NODE_OPTIONS: `--require ${preload}`, STRATA_CRASH_AT: String(at) });
      if (killed.signal !== 'SIGKILL' && killed.status !== 0) report.failures.push(`${c.name} killed at step ${at}: exited ${killed.status}: ${killed.stderr.trim()}`);
      const check = this.run(['system', 'check']);
      if (check.status !== 0) {
        report.repaired.push(check.stdout.trim().split('\n').slice(0, -1));
        const repair = this.run(['system', 'check', '--repair']);
        const again = this.run(['system', 'check']);
        if (again.status !== 0) report.failures.push(`${c.name} killed at step ${at}: still wrong after --repair:\n${repair.stdout}${again.stdout}`);
      }
      const broken = c.after?.(i);
      if (broken) report.failures.push(`${c.name} killed at step ${at}: ${broken}`);
      c.reset?.(i);
    });
    // And the operation still works on the store the kills left.
    const last = report.killedAt.length + 1;
    c.prepare?.(last);
    const r = this.run(c.args(last));
    if (r.status !== 0) report.failures.push(`${c.name} after the kills: exited ${r.status}: ${r.stderr.trim()}`);
    c.reset?.(last);
    return report;
  }
}

/** About `points` steps evenly from the first to the last (every step for 0). */
function spread(steps: number, points: number): number[] {
  if (points === 0 || points >= steps) return Array.from({ length: steps }, (_, k) => k + 1);
  const chosen = new Set<number>();
  for (let k = 0; k < points; k++) chosen.add(1 + Math.round(((steps - 1) * k) / Math.max(1, points - 1)));
  return [...chosen].sort((a, b) => a - b);
}

/**
 * One test per case: killed at $STRATA_CRASH_POINTS of its steps (default 8;
 * 0: every step), each kill checked and repaired. Logs what the kills left.
 */
export function crashTests(store: CrashStore, cases: CrashCase[]): void {
  const points = Number(process.env.STRATA_CRASH_POINTS ?? 8);
  it.each(cases)('$name, killed at its steps', (c) => {
    const report = store.crashLoop(c, points);
    const kinds = new Set(report.repaired.flat().map((p) => p.replace(/[0-9a-f]{12,}/g, 'ID').replace(/\d+/g, 'N')));
    console.info(`${c.name}: ${report.steps} steps, killed at ${report.killedAt.length}; repaired after ${report.repaired.length}:`, [...kinds]);
    expect(report.failures).toEqual([]);
    expect(report.killedAt.length).toBeGreaterThan(Math.min(points || report.steps, report.steps) / 2);
  }, 900_000);
}
