// Build: a Dockerfile into an image, step by step. On the left the recipe
// (a context folder on the engine's machine and its Dockerfile, or one typed
// here; tags, build args, target, no-cache) with the `strata build` line it
// equals, and the steps as they run or hit the cache; on the right the new
// image's layer stack, a slab more as each step commits.

import { useEffect, useReducer, useState } from 'react';
import { useBuildSession } from '../../data/buildSession';
import { emptyForm, type BuildForm } from '../../model/buildCommand';
import { entrySteps, stackStep } from '../../model/buildProgress';
import { BuildStack } from './BuildStack';
import { RecipePanel } from './RecipePanel';
import { StepsPanel } from './StepsPanel';

const formKey = 'strata.build.form';

/** The form as last filled in, so the context folder and the Dockerfile are there next time. */
function useStoredForm(): [BuildForm, (f: BuildForm) => void] {
  const [form, setForm] = useState<BuildForm>(() => {
    try {
      return { ...emptyForm, ...(JSON.parse(localStorage.getItem(formKey) ?? '{}') as Partial<BuildForm>) };
    } catch {
      return emptyForm;
    }
  });
  const save = (f: BuildForm) => {
    setForm(f);
    try {
      localStorage.setItem(formKey, JSON.stringify(f));
    } catch {
      // Storage full or refused: the form still works, it is just not remembered.
    }
  };
  return [form, save];
}

/** Re-renders every 100 ms while `active`, so running times count up. */
function useTicking(active: boolean): void {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(tick, 100);
    return () => clearInterval(timer);
  }, [active]);
}

export function BuildView() {
  const session = useBuildSession();
  const { progress, stack } = session;
  const [form, setForm] = useStoredForm();
  // The recipe folds away once a build starts, so its steps and stack have the screen.
  const [editing, setEditing] = useState(progress.phase === 'idle');
  // A step pointed at in the list lights its slab in the stack.
  const [pointed, setPointed] = useState<number | null>(null);
  const running = progress.phase === 'running';
  // A build started elsewhere is shown, but this app neither holds its stream nor can cancel it.
  const mine = running && session.origin === 'app';
  useTicking(running);

  const shown = stackStep(progress);
  const entries = stack?.stack?.entries ?? [];
  const byEntry = stack ? entrySteps(progress, stack.step, entries.length) : new Map();
  const layerOfStep = new Map<number, number>();
  for (const [i, s] of byEntry) {
    const layer = entries[i]?.layerIndex;
    if (layer !== null && layer !== undefined) layerOfStep.set(s.step, layer);
  }

  return (
    <div className="view view-build">
      <header className="view-head">
        <div>
          <h1>Build</h1>
          <p className="lead">
            From the FROM image, each step runs in a container and its changes are committed: a new read-only layer, or a metadata-only entry. A step
            whose parent and instruction did not change comes from the cache.
          </p>
        </div>
      </header>
      <div className="build-grid">
        <div className="build-main">
          <RecipePanel
            form={form}
            onChange={setForm}
            editing={editing}
            onEdit={progress.phase === 'idle' ? undefined : setEditing}
            running={mine}
            elsewhere={running && !mine}
            onBuild={() => {
              setEditing(false);
              session.start(form);
            }}
            onCancel={session.cancel}
          />
          <StepsPanel session={session} onPoint={setPointed} layerOfStep={layerOfStep} />
        </div>
        <BuildStack
          progress={progress}
          stack={stack?.stack ?? null}
          stackStep={shown}
          byEntry={byEntry}
          selected={pointed !== null ? (layerOfStep.get(pointed) ?? null) : null}
        />
      </div>
    </div>
  );
}
