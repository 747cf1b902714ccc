// The image being built, as its layer stack (the same drawing as the image
// view): the FROM image's layers at the bottom, and on top one entry per
// finished step: a slab for a layer, a thin marker for a metadata-only step,
// each marked "new" (made now) or "cache" (reused). While a step runs in a
// container, that container's writable layer waits above the stack: when
// the step ends it is committed as the next slab.

import type { ReactNode } from 'react';
import type { ImageStack } from '../../../../engine/api';
import { Loading } from '../../components/Notes';
import { StackDiagram } from '../../components/StackDiagram';
import { useNavigate } from '../../app/navigation';
import { currentStep, type BuildProgress, type BuildStep } from '../../model/buildProgress';
import { shortId } from '../../model/format';

export interface BuildStackProps {
  progress: BuildProgress;
  stack: ImageStack | null;
  /** The step whose image `stack` is. */
  stackStep: BuildStep | undefined;
  /** Which step made each of the stack's top entries. */
  byEntry: Map<number, BuildStep>;
  /** The layer to light (a step pointed at in the list); the top one otherwise. */
  selected: number | null;
}

export function BuildStack({ progress, stack, stackStep, byEntry, selected }: BuildStackProps) {
  const go = useNavigate();
  const running = currentStep(progress);
  const imageId = stackStep?.image?.id ?? '';
  const badge = (i: number): ReactNode => {
    const s = byEntry.get(i);
    if (!s) return null;
    return s.image?.cached ? (
      <span className="badge badge-cache">⟲ cache · step {s.step}</span>
    ) : (
      <span className="badge badge-new">✚ new · step {s.step}</span>
    );
  };

  let body: ReactNode;
  if (progress.phase === 'idle') {
    body = <p className="note note-empty">The FROM step brings its image’s layers. Each step after it adds one entry on top: a layer, or a thin metadata-only marker.</p>;
  } else if (!stackStep) {
    body = <p className="note note-empty">{progress.phase === 'running' ? 'Waiting for the FROM step…' : 'No step made an image.'}</p>;
  } else if (!imageId) {
    body = <p className="note note-empty">FROM scratch: the stack starts empty; the next step’s layer is its first.</p>;
  } else if (!stack) {
    body = <Loading what="the image’s layers" />;
  } else {
    body = (
      <StackDiagram
        entries={stack.entries}
        selected={selected}
        onSelect={(layer) => typeof layer === 'number' && go({ view: 'image', id: imageId, tab: 'files', layer })}
        label="Layers of the image being built, top first"
        badge={badge}
        above={running && !running.from ? <StepContainer step={running} /> : undefined}
      />
    );
  }

  return (
    <section className="panel build-stack" aria-labelledby="build-stack-title">
      <h2 id="build-stack-title">Layer stack</h2>
      <p className="panel-lead">{lead(progress, stackStep)}</p>
      <div className="build-stack-drawing">{body}</div>
      {stack && stack.entries.length > 0 && (
        <ul className="build-legend" aria-label="Legend">
          <li>
            <span className="badge badge-new">✚ new</span> made by this build
          </li>
          <li>
            <span className="badge badge-cache">⟲ cache</span> reused from an earlier build
          </li>
          <li>
            <span className="legend-meta" aria-hidden="true">◇</span> metadata only: no layer
          </li>
        </ul>
      )}
    </section>
  );
}

function lead(p: BuildProgress, shown: BuildStep | undefined): string {
  const id = shown?.image?.id ? shortId(shown.image.id) : '';
  if (p.phase === 'idle' || !shown) return 'The new image, bottom to top, growing a layer at a time.';
  if (p.phase === 'built' && p.built) return `${p.built.tags[0] ?? 'The image'} (${shortId(p.built.id)}): the finished image. Pick a layer to see its files.`;
  if (p.phase === 'running') return `The image of step ${shown.step} (${id}); each step that ends adds its entry on top.`;
  if (shown.from) return `The build stopped before committing anything: this is still the FROM image (${id}).`;
  return `Where the build stopped: the image of step ${shown.step} (${id}), left as an intermediate image. No tag was moved to it.`;
}

/** The running step's container: the stack plus its writable layer, which the step's commit turns into the next slab. */
function StepContainer({ step }: { step: BuildStep }) {
  return (
    <div className="build-ghost" data-testid="step-container">
      <span className="spinner" aria-hidden="true" />
      <span className="build-ghost-text">
        <strong>Step {step.step}</strong>{' '}
        {step.container ? (
          <>
            runs in container <code>{shortId(step.container)}</code>: what it writes lands in that container’s writable layer, committed next as a new layer.
          </>
        ) : (
          <>is working: its result is committed on top.</>
        )}
      </span>
    </div>
  );
}
