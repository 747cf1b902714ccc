// A build as the Build view draws it, folded from the engine's `image.build`
// messages (engine/api.ts BuildMessage): each step with its instruction,
// whether the cache was asked and answered, the container it ran in, its
// output lines, the image it made (or reused) with its layer's size and the
// time it took; and the build's end: the image and its tags, or the step
// that failed (its output, exit code and error), or a cancel.

import type { BuildMessage } from '../../../engine/api';
import type { ErrorPayload } from '../../../engine/errors';

export type BuildPhase = 'idle' | 'running' | 'built' | 'failed' | 'cancelled';
export type StepState = 'running' | 'done' | 'failed' | 'cancelled';

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface StepImage {
  id: string; // '' for FROM scratch
  cached: boolean;
  emptyLayer: boolean;
  size: number;
  durationMs: number;
}

export interface BuildStep {
  step: number; // Docker's N of `Step N/M`
  instruction: string;
  /** A FROM: its image is the stage's base, not something this build made. */
  from: boolean;
  state: StepState;
  /** The cache's answer; absent when it was not asked (FROM, --no-cache, or after a miss earlier in the stage). */
  cache?: 'hit' | 'miss';
  /** ONBUILD triggers of the FROM image, run within this step. */
  triggers?: number;
  /** The intermediate container it runs in, and whether the engine has removed it. */
  container?: string;
  containerRemoved?: boolean;
  output: OutputLine[];
  /** Lines dropped from the front to keep the last `maxOutputLines`. */
  droppedLines: number;
  image?: StepImage;
  error?: { message: string; exitCode: number };
  startedAt: number; // performance.now() when its `Step N/M` arrived
}

export interface BuildProgress {
  phase: BuildPhase;
  total: number; // M of `Step N/M`
  steps: BuildStep[];
  warnings: string[];
  built?: { id: string; tags: string[]; durationMs: number };
  /** Why the build stopped: the failed step (0 when it failed before any) and the engine's message. */
  failure?: { step: number; message: string; exitCode?: number };
  startedAt: number;
  endedAt?: number;
}

export const maxOutputLines = 2000;

export const idleBuild: BuildProgress = { phase: 'idle', total: 0, steps: [], warnings: [], startedAt: 0 };

export function startBuild(at: number): BuildProgress {
  return { ...idleBuild, phase: 'running', startedAt: at };
}

function updateStep(p: BuildProgress, step: number, change: (s: BuildStep) => BuildStep): BuildProgress {
  const i = p.steps.findIndex((s) => s.step === step);
  if (i < 0) return p;
  const steps = p.steps.slice();
  steps[i] = change(steps[i]);
  return { ...p, steps };
}

/** One more message of the build's stream. */
export function reduceBuild(p: BuildProgress, m: BuildMessage, at: number): BuildProgress {
  switch (m.type) {
    case 'step':
      return {
        ...p,
        total: m.steps,
        steps: [...p.steps, { step: m.step, instruction: m.instruction, from: /^from\s/i.test(m.instruction.trim()), state: 'running', output: [], droppedLines: 0, startedAt: at }],
      };
    case 'triggers':
      return updateStep(p, m.step, (s) => ({ ...s, triggers: m.count }));
    case 'cache':
      return updateStep(p, m.step, (s) => ({ ...s, cache: m.hit ? 'hit' : 'miss' }));
    case 'container':
      return updateStep(p, m.step, (s) => ({ ...s, container: m.id, containerRemoved: false }));
    case 'output':
      return updateStep(p, m.step, (s) => {
        const output = [...s.output, { stream: m.stream, text: m.text }];
        const over = Math.max(0, output.length - maxOutputLines);
        return { ...s, output: over ? output.slice(over) : output, droppedLines: s.droppedLines + over };
      });
    case 'removed':
      return updateStep(p, m.step, (s) => (s.container === m.id ? { ...s, containerRemoved: true } : s));
    case 'image':
      return updateStep(p, m.step, (s) => ({
        ...s,
        state: 'done',
        image: { id: m.id, cached: m.cached, emptyLayer: m.emptyLayer, size: m.size, durationMs: m.durationMs },
      }));
    case 'warning':
      return { ...p, warnings: [...p.warnings, m.text] };
    case 'error':
      return {
        ...updateStep(p, m.step, (s) => ({ ...s, state: 'failed', error: { message: m.message, exitCode: m.exitCode } })),
        failure: { step: m.step, message: m.message, exitCode: m.exitCode },
      };
    case 'built':
      return { ...p, built: { id: m.id, tags: m.tags, durationMs: m.durationMs } };
  }
}

/**
 * A `build` event of the engine's log as the message it records
 * (engine/build/progress.ts keeps each message's fields as strings), so a
 * build started elsewhere (`strata build` in a terminal) can be drawn too.
 * null for what is no message ('start').
 */
export function messageFromEvent(action: string, a: Record<string, string>): BuildMessage | null {
  const step = Number(a.step);
  const yes = (k: string) => a[k] === 'true';
  switch (action) {
    case 'step':
      return { type: 'step', step, steps: Number(a.steps), instruction: a.instruction ?? '' };
    case 'triggers':
      return { type: 'triggers', step, count: Number(a.count) };
    case 'cache':
      return { type: 'cache', step, hit: yes('hit') };
    case 'container':
    case 'removed':
      return { type: action, step, id: a.id ?? '' };
    case 'output':
      return { type: 'output', step, stream: a.stream === 'stderr' ? 'stderr' : 'stdout', text: a.text ?? '' };
    case 'image':
      return { type: 'image', step, id: a.id ?? '', base: yes('base'), cached: yes('cached'), emptyLayer: yes('emptyLayer'), size: Number(a.size), durationMs: Number(a.durationMs) };
    case 'warning':
      return { type: 'warning', text: a.text ?? '' };
    case 'error':
      // A build that failed before its first step records no exit code.
      return { type: 'error', step, message: a.message ?? '', exitCode: a.exitCode === undefined ? 1 : Number(a.exitCode) };
    case 'built':
      return { type: 'built', id: a.id ?? '', tags: a.tags ? a.tags.split(',') : [], durationMs: Number(a.durationMs) };
    default:
      return null;
  }
}

/** The stream ended: with the engine's error, with none, or because this side closed it (a cancel). */
export function endBuild(p: BuildProgress, end: { error?: ErrorPayload } | 'cancelled', at: number): BuildProgress {
  const running = p.steps.find((s) => s.state === 'running');
  if (end === 'cancelled') {
    const stopped = running ? updateStep(p, running.step, (s) => ({ ...s, state: 'cancelled' })) : p;
    return { ...stopped, phase: 'cancelled', endedAt: at };
  }
  if (end.error || !p.built) {
    const message = end.error?.message ?? 'the build ended without an image';
    const failed = running ? updateStep(p, running.step, (s) => ({ ...s, state: 'failed', error: s.error ?? { message, exitCode: 1 } })) : p;
    return { ...failed, phase: 'failed', failure: p.failure ?? { step: running?.step ?? 0, message }, endedAt: at };
  }
  return { ...p, phase: 'built', endedAt: at };
}

export const currentStep = (p: BuildProgress): BuildStep | undefined => p.steps.find((s) => s.state === 'running');

/** The FROM that began the stage `step` belongs to (a multi-stage build starts over at each FROM). */
export function stageStart(p: BuildProgress, step: number): number {
  let start = 1;
  for (const s of p.steps) if (s.from && s.step <= step) start = s.step;
  return start;
}

/** The image whose stack the view draws: the newest step's, in the stage being built. */
export function stackStep(p: BuildProgress): BuildStep | undefined {
  for (let i = p.steps.length - 1; i >= 0; i--) if (p.steps[i].image) return p.steps[i];
  return undefined;
}

/**
 * Which step made each of the top entries of the stack of `step`'s image
 * (its history, bottom first, `entryCount` long): each step after its
 * stage's FROM added exactly one entry, a layer or a metadata-only one.
 * Entries below them are the base image's.
 */
export function entrySteps(p: BuildProgress, step: number, entryCount: number): Map<number, BuildStep> {
  const out = new Map<number, BuildStep>();
  const from = stageStart(p, step);
  for (let n = step, i = entryCount - 1; n > from && i >= 0; n--, i--) {
    const s = p.steps.find((x) => x.step === n);
    if (s) out.set(i, s);
  }
  return out;
}

export interface BuildTally {
  /** Steps after FROM that are done. */
  done: number;
  cached: number;
  /** Steps that ran (not from the cache), the failed one included: it ran, and its command failed. */
  ran: number;
  failed: number;
  /** New layers this build wrote (not reused, not metadata-only), and their bytes. */
  newLayers: number;
  newBytes: number;
}

export function tally(p: BuildProgress): BuildTally {
  const t: BuildTally = { done: 0, cached: 0, ran: 0, failed: 0, newLayers: 0, newBytes: 0 };
  for (const s of p.steps) {
    if (!s.from && s.state === 'failed') {
      t.ran++;
      t.failed++;
    }
    if (s.from || !s.image) continue;
    t.done++;
    if (s.image.cached) t.cached++;
    else {
      t.ran++;
      if (!s.image.emptyLayer) {
        t.newLayers++;
        t.newBytes += s.image.size;
      }
    }
  }
  return t;
}

/** The tally in one line: "0 of 1 steps after FROM done · 0 from cache · 1 ran · 1 failed · 0 new layers". */
export function tallyLine(p: BuildProgress, bytes: (n: number) => string): string {
  const t = tally(p);
  const afterFrom = Math.max(0, p.total - p.steps.filter((s) => s.from).length);
  return [
    `${t.done} of ${afterFrom} step${afterFrom === 1 ? '' : 's'} after FROM done`,
    `${t.cached} from cache`,
    `${t.ran} ran`,
    ...(t.failed ? [`${t.failed} failed`] : []),
    `${t.newLayers} new layer${t.newLayers === 1 ? '' : 's'}${t.newBytes ? ` (${bytes(t.newBytes)})` : ''}`,
  ].join(' · ');
}

/** A step's or build's time as the steps list shows it: "120 ms", "3.4 s", "2 min 5 s". */
export function elapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
