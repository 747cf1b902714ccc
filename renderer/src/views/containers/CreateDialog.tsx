// Create or run a container from an image: the options `strata run` and
// `strata create` take, grouped by concern (./runSections.tsx), and as they
// are filled in, the exact command line they equal. The image is one of the
// store's or any name typed in: one the store lacks is pulled first, as
// `strata run` does (--pull missing), its layers arriving in the Images
// view. With no image in the store it also offers the ways to get one.

import { useId, useState } from 'react';
import type { ImageSummary } from '../../../../engine/api';
import type { EngineError } from '../../../../engine/errors';
import { Dialog, Field } from '../../components/Dialog';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { affectsImages } from '../../data/events';
import { usePullSession } from '../../data/pullSession';
import { useQuery } from '../../data/useQuery';
import { commands, imageName } from '../../model/commands';
import { shortId } from '../../model/format';
import { isLocalImage, isPullable } from '../../model/reference';
import { createOptionsFrom, emptyRunForm, type RunField, type RunForm } from '../../model/runForm';
import { useNavigate } from '../../app/navigation';
import { GetImage } from '../images/GetImage';
import { runSections } from './runSections';

export function CreateDialog({ mode, image, onClose }: { mode: 'create' | 'run'; image?: string; onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const pull = usePullSession();
  const go = useNavigate();
  const images = useQuery('image.list', { all: false }, { refreshOn: affectsImages });
  const networkList = useQuery('network.list', {});
  const networks = ['bridge', 'none', 'host', ...(networkList.data ?? []).map((n) => n.name).filter((n) => !['bridge', 'none', 'host'].includes(n))];
  const [form, setForm] = useState<RunForm>(() => emptyRunForm(image ?? ''));
  // Until the person types an image, the store's first one is offered.
  const [imageTyped, setImageTyped] = useState(image !== undefined);
  // Which groups are open: a person's choice, and any group with a problem to fix (it stays open once fixed).
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  const imageList = useId();
  const set = <K extends RunField>(field: K, value: RunForm[K]) => setForm((f) => ({ ...f, [field]: value }));
  const chosen = imageTyped ? form.image.trim() : images.data?.[0] ? nameOf(images.data[0]) : '';
  const { options, problems } = createOptionsFrom({ ...form, image: chosen });
  const problem = (field: RunField) => problems.find((p) => p.field === field && p.index === undefined)?.message;
  const noImages = images.data !== undefined && images.data.length === 0;
  const willPull = chosen !== '' && images.data !== undefined && !isLocalImage(images.data, chosen) && isPullable(chosen);
  const command = mode === 'run' ? commands.run({ ...options, image: chosen || 'IMAGE', detach: true }) : commands.create({ ...options, image: chosen || 'IMAGE' });

  // As `strata run` does with --pull missing: an image the store lacks, named (not an id), is pulled, and the create tried again.
  const createPulling = async () => {
    try {
      return await client.call('container.create', options);
    } catch (err) {
      if ((err as EngineError).code !== 'NotFound' || !isPullable(options.image)) throw err;
      const missing = await client.call('image.inspect', { ref: options.image }).then(
        () => false,
        (e: EngineError) => e.code === 'NotFound',
      );
      if (!missing) throw err;
      go({ view: 'images', all: false });
      if (!(await pull.start(options.image, ''))) throw new Error(`${options.image} was not pulled (see strata pull below)`);
      return client.call('container.create', options);
    }
  };

  const submit = async () => {
    onClose();
    const created = await run(command, async () => {
      const { id } = await createPulling();
      if (mode === 'run') await client.call('container.start', { id });
      return id;
    }, shortId);
    if (created) go({ view: 'container', id: created, tab: 'files' });
  };

  return (
    <Dialog
      title={mode === 'run' ? 'Run a container' : 'Create a container'}
      submitLabel={mode === 'run' ? 'Run' : 'Create'}
      onClose={onClose}
      onSubmit={submit}
      command={command}
      submitDisabled={problems.length > 0}
      submitReason={noImages && chosen === '' ? 'Get an image first, or type one to pull' : problems.length ? `Fix first: ${problems[0].message}` : undefined}
      wide
    >
      <p className="dialog-lead">
        {mode === 'run'
          ? 'Adds a writable layer on top of the image’s layers and starts the command in a new process space.'
          : 'Adds a writable layer on top of the image’s layers. Nothing runs until you start it.'}
      </p>
      <Field
        label="Image"
        hint={
          willPull
            ? `Not in this store: ${mode === 'run' ? 'Run' : 'Create'} pulls it first (strata pull ${chosen}), as strata ${mode} does.`
            : 'One of this store’s, or a name to pull from a registry (ubuntu:24.04, host:port/name:tag).'
        }
        problem={imageTyped ? problem('image') : undefined}
      >
        <input
          list={imageList}
          value={chosen}
          onChange={(e) => {
            setImageTyped(true);
            set('image', e.target.value);
          }}
          placeholder="ubuntu:24.04"
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <datalist id={imageList}>
        {images.data?.map((i) => <option key={i.id} value={nameOf(i)} />)}
      </datalist>
      {noImages && (
        <GetImage
          onImage={(ref) => {
            setImageTyped(true);
            set('image', ref);
          }}
          onPulling={() => {
            onClose();
            go({ view: 'images', all: false });
          }}
        />
      )}
      <div className="field-row">
        <Field label="Name" hint="Optional; the engine picks one like Docker does." problem={problem('name')}>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. web" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Command" hint="Optional; the image’s own command when empty.">
          <input value={form.command} onChange={(e) => set('command', e.target.value)} placeholder="e.g. touch happiness.txt" autoComplete="off" spellCheck={false} className="mono" />
        </Field>
      </div>
      <div className="run-sections">
        {runSections.map((s) => {
          const summary = s.summary(form);
          const wrong = problems.some((p) => s.fields.includes(p.field));
          return (
            <details
              key={s.id}
              className="run-section"
              open={wrong || opened.has(s.id)}
              onToggle={(e) => {
                const open = e.currentTarget.open;
                setOpened((prev) => {
                  if (open === prev.has(s.id)) return prev;
                  const next = new Set(prev);
                  if (open) next.add(s.id);
                  else next.delete(s.id);
                  return next;
                });
              }}
            >
              <summary>
                <span className="run-section-title">{s.title}</span>
                {summary.length > 0 && <span className="run-section-summary mono">{summary.join(' ')}</span>}
                {wrong && <span className="run-section-problem">needs a fix</span>}
              </summary>
              <div className="run-section-body">
                <s.Body form={form} set={set} problem={problem} problems={problems} networks={networks} />
              </div>
            </details>
          );
        })}
      </div>
    </Dialog>
  );
}

const nameOf = (i: ImageSummary) => imageName(i.id, i.repoTags);
