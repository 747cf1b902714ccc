// The steps of a build as Docker's classic builder prints them (`Step 2/3 :
// RUN ...`), each with what the cache said, the container it ran in, its
// output as it streams, how long it took and the layer it made; above them
// how the build stands or ended: the image and a link to it, or the failed
// step with its exit code and the tags that did not move.

import { useEffect, useRef } from 'react';
import type { ImageSummary } from '../../../../engine/api';
import { CommandLine } from '../../components/CommandLine';
import { ErrorNote } from '../../components/Notes';
import type { BuildSession } from '../../data/buildSession';
import { affectsImages } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { currentStep, elapsed, tallyLine, type BuildStep } from '../../model/buildProgress';
import { shortId, size } from '../../model/format';
import { useNavigate } from '../../app/navigation';

export function StepsPanel({ session, onPoint, layerOfStep }: { session: BuildSession; onPoint(step: number | null): void; layerOfStep: Map<number, number> }) {
  const { progress } = session;
  return (
    <section className="panel build-steps" aria-labelledby="steps-title">
      <h2 id="steps-title">Steps</h2>
      {progress.phase === 'idle' ? (
        <p className="note note-empty">Press Build: each step shows here as it runs or comes from the cache, and the stack beside grows a layer at a time.</p>
      ) : (
        <>
          <BuildStatus session={session} />
          {progress.warnings.map((w, i) => (
            <p key={i} className="build-warning">
              <span aria-hidden="true">⚠ </span>
              {w}
            </p>
          ))}
          <ol className="bsteps" aria-label="Build steps">
            {progress.steps.map((s) => (
              <StepRow key={s.step} step={s} total={progress.total} layer={layerOfStep.get(s.step)} onPoint={onPoint} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

const fullTag = (tag: string) => (tag.lastIndexOf(':') > tag.lastIndexOf('/') ? tag : `${tag}:latest`);

function BuildStatus({ session }: { session: BuildSession }) {
  const go = useNavigate();
  const { progress: p, tagsBefore } = session;
  const now = p.endedAt ?? performance.now();
  const running = currentStep(p);
  const stopped = p.phase === 'failed' || p.phase === 'cancelled';
  const tags = Object.keys(tagsBefore);
  // Read again after the end: the tags as they are now, not as the app assumes.
  const images = useQuery('image.list', stopped && tags.length > 0 ? { all: false } : null, { refreshOn: affectsImages });
  const summary = tallyLine(p, size);
  return (
    <div className={`build-status build-${p.phase}`}>
      {session.origin === 'elsewhere' && session.command && (
        <div className="build-origin">
          <span>Started elsewhere, drawn from the engine’s events:</span>
          <CommandLine command={session.command} />
        </div>
      )}
      <p className="build-state" role="status" data-testid="build-status">
        {p.phase === 'running' && (
          <>
            <span className="spinner" aria-hidden="true" /> Building{running ? ` · step ${running.step} of ${p.total}` : ''} · {elapsed(now - p.startedAt)}
          </>
        )}
        {p.phase === 'built' && p.built && (
          <>
            <span aria-hidden="true">✓ </span>Built <code>{shortId(p.built.id)}</code> in {elapsed(p.built.durationMs)}
            {p.built.tags.length > 0 && <> · tagged {p.built.tags.join(', ')}</>}
          </>
        )}
        {p.phase === 'failed' && (
          <>
            <span aria-hidden="true">✕ </span>Failed{p.failure && p.failure.step > 0 ? ` at step ${p.failure.step} of ${p.total}` : ' before the first step'}
            {p.failure?.exitCode !== undefined && ` · exit code ${p.failure.exitCode}`}
          </>
        )}
        {p.phase === 'cancelled' && (
          <>
            <span aria-hidden="true">⊘ </span>Cancelled{p.steps.length > 0 ? ` at step ${p.steps[p.steps.length - 1].step} of ${p.total}` : ''}
          </>
        )}
      </p>
      {p.steps.length > 0 && (
        <p className="build-tally" data-testid="build-tally">
          {summary}
        </p>
      )}
      {p.phase === 'built' && p.built && (
        <a
          className="btn btn-primary btn-small build-open"
          href={`#/images/${encodeURIComponent(p.built.id)}/files`}
          onClick={(e) => {
            e.preventDefault();
            go({ view: 'image', id: p.built!.id, tab: 'files' });
          }}
        >
          Open {p.built.tags[0] ?? shortId(p.built.id)} <span aria-hidden="true">→</span>
        </a>
      )}
      {p.phase === 'failed' && p.failure && p.failure.step === 0 && <ErrorNote error={new Error(p.failure.message)} />}
      {stopped && <TagsUnmoved tags={tags} before={tagsBefore} images={images.data} />}
    </div>
  );
}

/** A build that did not finish moves no tag: each asked-for tag, where it points now and before. */
function TagsUnmoved({ tags, before, images }: { tags: string[]; before: Record<string, string | null>; images: ImageSummary[] | undefined }) {
  if (tags.length === 0) return <p className="build-tags">No tag was asked for, so none could move.</p>;
  if (!images) return null;
  const now = (tag: string) => images.find((i) => i.repoTags.includes(fullTag(tag)))?.id ?? null;
  const moved = tags.filter((tag) => now(tag) !== before[tag]);
  return (
    <div className="build-tags" data-testid="tags-unmoved">
      <strong>{moved.length === 0 ? 'No tag moved.' : 'A tag moved meanwhile (not by this build).'}</strong>
      <ul>
        {tags.map((tag) => {
          const id = now(tag);
          return (
            <li key={tag}>
              <code>{tag}</code>{' '}
              {id === before[tag] ? (id ? <>still names <code>{shortId(id)}</code></> : 'was not made: no image has this name') : id ? <>now names <code>{shortId(id)}</code></> : 'was removed'}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The cache's part in a step, in words and a glyph (colour only repeats them); `data-cache` is the tests' hook. */
function CacheBadge({ step }: { step: BuildStep }) {
  if (step.from) {
    return (
      <span className="badge badge-base" data-cache="base">
        ◆ base image{step.triggers ? ` + ${step.triggers} ONBUILD trigger${step.triggers > 1 ? 's' : ''}` : ''}
      </span>
    );
  }
  if (step.cache === 'hit' || step.image?.cached) {
    return (
      <span className="badge badge-cache" data-cache="hit" title="Using cache: an image made on the same parent by the same instruction">
        ⟲ cache
      </span>
    );
  }
  if (step.state === 'cancelled') {
    return (
      <span className="badge badge-ran" data-cache={step.cache ?? 'not asked'}>
        ⊘ cancelled
      </span>
    );
  }
  const ran = step.state === 'done' ? 'ran' : step.state;
  if (step.cache === 'miss') {
    return (
      <span className="badge badge-ran" data-cache="miss" title="No image made on this parent by this instruction: the step runs">
        ✗ cache miss · {ran}
      </span>
    );
  }
  return (
    <span className="badge badge-ran" data-cache="not asked" title="The cache was not asked: --no-cache, or an earlier step of this stage missed, so every later step runs">
      ▸ {ran}
    </span>
  );
}

function StepRow({ step: s, total, layer, onPoint }: { step: BuildStep; total: number; layer: number | undefined; onPoint(step: number | null): void }) {
  const row = useRef<HTMLLIElement>(null);
  // The step that runs, or failed, is brought into view: that is where the output is.
  useEffect(() => {
    if (s.state === 'running' || s.state === 'failed') row.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [s.state]);
  const ms = s.image ? s.image.durationMs : s.state === 'running' ? performance.now() - s.startedAt : undefined;
  // A FROM takes no time of its own unless it ran its image's ONBUILD triggers.
  const duration = s.from && !s.triggers ? undefined : ms;
  const showOutput = s.output.length > 0 || s.droppedLines > 0;
  return (
    <li
      ref={row}
      className={`bstep bstep-${s.state} ${s.from ? 'bstep-from' : ''} ${s.image?.cached ? 'is-cached' : ''}`}
      data-testid={`build-step-${s.step}`}
      onMouseEnter={() => onPoint(s.step)}
      onMouseLeave={() => onPoint(null)}
    >
      <span className="bstep-n" aria-label={`Step ${s.step} of ${total}`}>
        {s.step}/{total}
      </span>
      <div className="bstep-body">
        <div className="bstep-line">
          <code className="bstep-instruction" title={s.instruction}>
            {s.instruction}
          </code>
          {s.state === 'running' && <span className="spinner" aria-hidden="true" />}
          <CacheBadge step={s} />
        </div>
        <div className="bstep-facts">
          {duration !== undefined && <span>{elapsed(duration)}</span>}
          {s.image && !s.from && (
            <span>
              {s.image.emptyLayer ? 'no layer: metadata only' : `${s.image.cached ? '' : '+'}${size(s.image.size)} layer${layer !== undefined ? ` (L${layer})` : ''}`}
            </span>
          )}
          {s.container && (
            <span title={s.container}>
              in container <code>{shortId(s.container)}</code>
              {s.containerRemoved ? ', removed' : ''}
            </span>
          )}
          {s.image && s.image.id && (
            <span>
              → <code title={s.image.id}>{shortId(s.image.id)}</code>
            </span>
          )}
          {s.state === 'cancelled' && s.container && !s.containerRemoved && <span>stopping: its container is being removed…</span>}
        </div>
        {showOutput && <StepOutput step={s} />}
        {s.error && (
          <p className="bstep-error" role="alert">
            <span aria-hidden="true">✕ </span>
            {s.error.message}
            <span className="bstep-exit">exit code {s.error.exitCode}</span>
          </p>
        )}
      </div>
    </li>
  );
}

/** The step's output lines; open while it runs or when it failed, a click away otherwise. */
function StepOutput({ step: s }: { step: BuildStep }) {
  const box = useRef<HTMLPreElement>(null);
  const live = s.state === 'running';
  useEffect(() => {
    const el = box.current;
    if (el && live) el.scrollTop = el.scrollHeight;
  }, [s.output.length, live]);
  const count = s.output.length + s.droppedLines;
  return (
    <details className="bstep-output" open={live || s.state === 'failed' || s.state === 'cancelled' || undefined}>
      <summary>
        {count} line{count === 1 ? '' : 's'} of output
      </summary>
      <pre ref={box} className="bstep-lines" aria-label={`Output of step ${s.step}`}>
        {s.droppedLines > 0 && <span className="bstep-dropped">… {s.droppedLines} earlier lines not kept{'\n'}</span>}
        {s.output.map((l, i) => (
          <span key={i} className={l.stream === 'stderr' ? 'out-err' : undefined}>
            {l.text}
          </span>
        ))}
      </pre>
    </details>
  );
}
