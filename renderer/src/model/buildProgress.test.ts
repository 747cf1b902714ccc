import { describe, expect, it } from 'vitest';
import type { BuildMessage } from '../../../engine/api';
import { elapsed, endBuild, entrySteps, messageFromEvent, maxOutputLines, reduceBuild, stackStep, startBuild, tally, tallyLine, type BuildProgress } from './buildProgress';

const base = 'sha256:' + 'b'.repeat(64);
const run = 'sha256:' + '1'.repeat(64);
const cmd = 'sha256:' + '2'.repeat(64);
const box = 'c'.repeat(64);

/** What the engine sent for `FROM starter / RUN echo hi > /hi.txt / CMD ["cat","/hi.txt"]`, built cold. */
const cold: BuildMessage[] = [
  { type: 'step', step: 1, steps: 3, instruction: 'FROM starter' },
  { type: 'image', step: 1, id: base, base: true, cached: false, emptyLayer: true, size: 0, durationMs: 0 },
  { type: 'step', step: 2, steps: 3, instruction: 'RUN echo hi > /hi.txt' },
  { type: 'cache', step: 2, hit: false },
  { type: 'container', step: 2, id: box },
  { type: 'output', step: 2, stream: 'stdout', text: 'hi\n' },
  { type: 'removed', step: 2, id: box },
  { type: 'image', step: 2, id: run, base: false, cached: false, emptyLayer: false, size: 3, durationMs: 120 },
  { type: 'step', step: 3, steps: 3, instruction: 'CMD ["cat","/hi.txt"]' },
  { type: 'image', step: 3, id: cmd, base: false, cached: false, emptyLayer: true, size: 0, durationMs: 30 },
  { type: 'built', id: cmd, tags: ['built:e2e'], durationMs: 160 },
];

const fold = (messages: BuildMessage[], from: BuildProgress = startBuild(0)) => messages.reduce((p, m, i) => reduceBuild(p, m, i), from);

describe('build progress', () => {
  it('follows a cold build step by step to its image', () => {
    const during = fold(cold.slice(0, 6));
    expect(during.phase).toBe('running');
    expect(during.total).toBe(3);
    expect(during.steps.map((s) => [s.step, s.instruction, s.state])).toEqual([
      [1, 'FROM starter', 'done'],
      [2, 'RUN echo hi > /hi.txt', 'running'],
    ]);
    expect(during.steps[1]).toMatchObject({ cache: 'miss', container: box, containerRemoved: false, output: [{ stream: 'stdout', text: 'hi\n' }] });

    const done = endBuild(fold(cold), {}, 99);
    expect(done.phase).toBe('built');
    expect(done.built).toEqual({ id: cmd, tags: ['built:e2e'], durationMs: 160 });
    expect(done.steps[0]).toMatchObject({ from: true, image: { id: base } });
    expect(done.steps[1]).toMatchObject({ state: 'done', containerRemoved: true, image: { id: run, size: 3, emptyLayer: false, durationMs: 120 } });
    // Step 3 was not looked up in the cache: step 2 missed, so the rest of the stage runs.
    expect(done.steps[2].cache).toBeUndefined();
    expect(tally(done)).toEqual({ done: 2, cached: 0, ran: 2, failed: 0, newLayers: 1, newBytes: 3 });
  });

  it('marks every step after FROM a cache hit when nothing changed', () => {
    const warm = endBuild(
      fold([
        cold[0],
        cold[1],
        cold[2],
        { type: 'cache', step: 2, hit: true },
        { type: 'image', step: 2, id: run, base: false, cached: true, emptyLayer: false, size: 3, durationMs: 1 },
        cold[8],
        { type: 'cache', step: 3, hit: true },
        { type: 'image', step: 3, id: cmd, base: false, cached: true, emptyLayer: true, size: 0, durationMs: 1 },
        cold[10],
      ]),
      {},
      9,
    );
    expect(warm.steps.filter((s) => !s.from).map((s) => [s.cache, s.image?.cached])).toEqual([
      ['hit', true],
      ['hit', true],
    ]);
    expect(tally(warm)).toMatchObject({ cached: 2, ran: 0, newLayers: 0 });
  });

  it('keeps a failed step\'s output, exit code and error, and that the build failed', () => {
    const failed = endBuild(
      fold([
        cold[0],
        cold[1],
        { type: 'step', step: 2, steps: 2, instruction: 'RUN echo out; exit 3' },
        { type: 'cache', step: 2, hit: false },
        { type: 'container', step: 2, id: box },
        { type: 'output', step: 2, stream: 'stderr', text: 'out\n' },
        { type: 'removed', step: 2, id: box },
        { type: 'error', step: 2, message: "The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3", exitCode: 3 },
      ]),
      { error: { name: 'EngineError', code: 'InvalidArgument', message: "The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3" } },
      5,
    );
    expect(failed.phase).toBe('failed');
    expect(failed.built).toBeUndefined();
    expect(failed.failure).toEqual({ step: 2, message: "The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3", exitCode: 3 });
    expect(failed.steps[1]).toMatchObject({ state: 'failed', output: [{ stream: 'stderr', text: 'out\n' }], error: { exitCode: 3 }, containerRemoved: true });
    // Its only step after FROM ran, and failed: not "0 ran".
    expect(tally(failed)).toMatchObject({ done: 0, ran: 1, failed: 1 });
    expect(tallyLine(failed, String)).toBe('0 of 1 step after FROM done · 0 from cache · 1 ran · 1 failed · 0 new layers');
  });

  it('says why a build that failed before its first step stopped', () => {
    const p = endBuild(startBuild(0), { error: { name: 'EngineError', code: 'InvalidArgument', message: 'dockerfile parse error line 2: unknown instruction: FOO' } }, 1);
    expect(p.phase).toBe('failed');
    expect(p.failure).toEqual({ step: 0, message: 'dockerfile parse error line 2: unknown instruction: FOO' });
  });

  it('marks the running step cancelled when the stream is closed', () => {
    const p = endBuild(fold(cold.slice(0, 5)), 'cancelled', 7);
    expect(p.phase).toBe('cancelled');
    expect(p.steps[1].state).toBe('cancelled');
    expect(p.endedAt).toBe(7);
  });

  it('keeps only the last lines of a long output, counting what it dropped', () => {
    const lines: BuildMessage[] = Array.from({ length: maxOutputLines + 5 }, (_, i) => ({ type: 'output', step: 2, stream: 'stdout', text: `${i}\n` }));
    const p = fold([...cold.slice(0, 5), ...lines]);
    expect(p.steps[1].output).toHaveLength(maxOutputLines);
    expect(p.steps[1].droppedLines).toBe(5);
    expect(p.steps[1].output[0].text).toBe('5\n');
  });

  it('tells which step made each of the top entries of the stack, stage by stage', () => {
    const p = fold(cold);
    // starter has one entry; steps 2 and 3 each add one on top.
    expect(stackStep(p)?.step).toBe(3);
    const byEntry = entrySteps(p, 3, 3);
    expect([...byEntry].map(([i, s]) => [i, s.step])).toEqual([
      [2, 3],
      [1, 2],
    ]);
    // A second stage starts over on its own base: only its own steps are marked.
    const staged = fold([
      { type: 'step', step: 4, steps: 5, instruction: 'FROM starter AS final' },
      { type: 'image', step: 4, id: base, base: true, cached: false, emptyLayer: true, size: 0, durationMs: 0 },
      { type: 'step', step: 5, steps: 5, instruction: 'COPY --from=0 /hi.txt /' },
      { type: 'image', step: 5, id: run, base: false, cached: false, emptyLayer: false, size: 3, durationMs: 5 },
    ], p);
    expect([...entrySteps(staged, 5, 2)].map(([i, s]) => [i, s.step])).toEqual([[1, 5]]);
  });

  it('words durations for the steps list', () => {
    expect([elapsed(4.4), elapsed(120), elapsed(3449), elapsed(125_000)]).toEqual(['4 ms', '120 ms', '3.4 s', '2 min 5 s']);
  });

  it('reads back the messages the engine recorded as `build` events, for a build started elsewhere', () => {
    // What engine/build/progress.ts records: every field as a string, arrays joined by commas.
    const recorded = (m: BuildMessage) => {
      const { type, ...rest } = m;
      return messageFromEvent(type, Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])));
    };
    const all: BuildMessage[] = [
      ...cold,
      { type: 'triggers', step: 1, count: 2 },
      { type: 'output', step: 2, stream: 'stderr', text: 'oops\n' },
      { type: 'warning', text: '[Warning] One or more build-args [X] were not consumed' },
      { type: 'error', step: 2, message: 'failed', exitCode: 3 },
      { type: 'built', id: cmd, tags: ['a:1', 'b:2'], durationMs: 5 },
    ];
    for (const m of all) expect(recorded(m)).toEqual(m);
    expect(messageFromEvent('error', { message: 'dockerfile parse error', step: '0' })).toEqual({ type: 'error', step: 0, message: 'dockerfile parse error', exitCode: 1 });
    expect(messageFromEvent('start', { context: '/ctx', dockerfile: '', tags: '' })).toBeNull();
  });
});
