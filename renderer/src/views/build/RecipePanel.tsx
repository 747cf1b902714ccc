// The recipe of a build: the context folder (a path on the engine's
// machine), the Dockerfile (typed here, or a file in that folder), the
// options, and the `strata build` line all of it equals. Folded, it is the
// command the Build button runs again. The app builds typed Dockerfiles
// without a folder; with one, the line is for a terminal (only the command
// line may have the engine read host paths).

import { useId } from 'react';
import { ActionButton } from '../../components/ActionButton';
import { CommandLine } from '../../components/CommandLine';
import { Field } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { buildCommand, formProblem, parseTags, type BuildForm } from '../../model/buildCommand';

export interface RecipePanelProps {
  form: BuildForm;
  onChange(form: BuildForm): void;
  editing: boolean;
  /** Unfolds (true) or folds it; folding is offered once there is a build to look at. */
  onEdit?(editing: boolean): void;
  /** This app's build is running (it can be cancelled; another cannot start). */
  running: boolean;
  /** A build started elsewhere is running. */
  elsewhere?: boolean;
  onBuild(): void;
  onCancel(): void;
}

export function RecipePanel({ form, onChange, editing, onEdit, running, elsewhere, onBuild, onCancel }: RecipePanelProps) {
  const set = (patch: Partial<BuildForm>) => onChange({ ...form, ...patch });
  const problem = formProblem(form);
  const command = buildCommand(form);
  const buttons = (
    <div className="recipe-buttons">
      {onEdit && (
        <button type="button" className="btn btn-quiet" onClick={() => onEdit(!editing)} aria-expanded={editing}>
          {editing ? 'Fold' : 'Edit'}
        </button>
      )}
      <ActionButton
        label="Build"
        variant="primary"
        icon={<Icon name="commit" />}
        command={command}
        disabledReason={running ? 'A build is running: cancel it first' : (problem ?? undefined)}
        onPress={onBuild}
      />
      <ActionButton
        label="Cancel"
        variant="danger"
        icon={<Icon name="kill" />}
        disabledReason={running ? undefined : elsewhere ? 'Started elsewhere: stop it where it runs (Ctrl+C)' : 'No build is running'}
        onPress={onCancel}
      />
    </div>
  );

  const head = (
    <div className="recipe-head">
      <div className="recipe-title">
        <h2 id="recipe-title">Recipe</h2>
      </div>
      {buttons}
    </div>
  );

  if (!editing) {
    const tags = parseTags(form.tags);
    return (
      <section className="panel recipe recipe-folded" aria-labelledby="recipe-title">
        {head}
        <p className="recipe-summary">
          {form.source === 'typed' ? 'Dockerfile typed here' : `${form.dockerfile.trim() || 'Dockerfile'} in the folder`}
          {' · '}
          {form.context.trim() ? <code>{form.context.trim()}</code> : 'no context'}
          {tags.length > 0 && <> · tagged {tags.join(', ')}</>}
          {form.noCache && ' · no cache'}
        </p>
        <CommandLine command={command} className="recipe-command" />
      </section>
    );
  }

  return (
    <section className="panel recipe" aria-labelledby="recipe-title">
      {head}
      <div className="recipe-fields">
        <div className="recipe-source">
          <Field
            label="Context folder"
            hint={
              form.source === 'typed'
                ? 'Optional: a folder on the engine’s machine for COPY and ADD. The engine reads it as root, so the command line builds with one.'
                : 'A folder on the engine’s machine: what COPY and ADD can see. The engine reads it as root, so the command line builds it.'
            }
          >
            <input
              value={form.context}
              onChange={(e) => set({ context: e.target.value })}
              placeholder="/home/me/myapp"
              autoComplete="off"
              spellCheck={false}
              className="mono"
              aria-invalid={form.context.trim() !== '' && !form.context.trim().startsWith('/') ? true : undefined}
            />
          </Field>
          <DockerfileField form={form} set={set} />
        </div>
        <div className="recipe-options">
          <Field label="Tags (-t)" hint="name:tag, several with spaces">
            <input value={form.tags} onChange={(e) => set({ tags: e.target.value })} placeholder="myapp:v1" autoComplete="off" spellCheck={false} className="mono" />
          </Field>
          <Field label="Target stage (--target)" hint="The stage to stop after">
            <input value={form.target} onChange={(e) => set({ target: e.target.value })} placeholder="the last" autoComplete="off" spellCheck={false} className="mono" />
          </Field>
          <Field label="Build args (--build-arg)" hint="KEY=value, one per line">
            <textarea value={form.buildArgs} onChange={(e) => set({ buildArgs: e.target.value })} rows={2} spellCheck={false} className="mono" placeholder="VERSION=1.2" />
          </Field>
          <label className="check">
            <input type="checkbox" checked={form.noCache} onChange={(e) => set({ noCache: e.target.checked })} />
            <span>
              No cache (<code>--no-cache</code>): run every step again
            </span>
          </label>
        </div>
      </div>
      <div className="recipe-equals">
        <span className="label">Equals</span>
        <CommandLine command={command} className="recipe-command" />
      </div>
      {problem && !running && (
        <p className="field-hint recipe-problem" role="status">
          {problem}
        </p>
      )}
    </section>
  );
}

/** The Dockerfile: typed into a text area, or named as a file in the context folder. */
function DockerfileField({ form, set }: { form: BuildForm; set(patch: Partial<BuildForm>): void }) {
  const id = useId();
  return (
    <div className="field">
      <div className="field-row">
        <label className="field-label" htmlFor={id}>
          Dockerfile
        </label>
        <div className="segmented segmented-small" role="group" aria-label="Where the Dockerfile comes from">
          <button type="button" aria-pressed={form.source === 'typed'} onClick={() => set({ source: 'typed' })}>
            Typed here
          </button>
          <button type="button" aria-pressed={form.source === 'folder'} onClick={() => set({ source: 'folder' })}>
            A file in the folder
          </button>
        </div>
      </div>
      {form.source === 'typed' ? (
        <textarea
          id={id}
          value={form.text}
          onChange={(e) => set({ text: e.target.value })}
          rows={6}
          spellCheck={false}
          className="mono dockerfile"
          placeholder={'FROM starter\nRUN echo hi > /hi.txt'}
        />
      ) : (
        <>
          <input
            id={id}
            value={form.dockerfile}
            onChange={(e) => set({ dockerfile: e.target.value })}
            placeholder="Dockerfile"
            autoComplete="off"
            spellCheck={false}
            className="mono"
            aria-describedby={`${id}-hint`}
          />
          <span className="field-hint" id={`${id}-hint`}>
            Relative to the folder, or absolute. Empty: Dockerfile, then dockerfile.
          </span>
        </>
      )}
    </div>
  );
}
