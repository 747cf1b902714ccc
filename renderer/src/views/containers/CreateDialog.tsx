// Create or run a container from an image: the options `strata run` and
// `strata create` take, grouped by concern (./runSections.tsx), and as they
// are filled in, the exact command line they equal. With no image in the
// store it offers the ways to get one instead of an empty list.

import { useState } from 'react';
import type { ImageSummary } from '../../../../engine/api';
import { Dialog, Field } from '../../components/Dialog';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { affectsImages } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { commands, imageName } from '../../model/commands';
import { shortId } from '../../model/format';
import { createOptionsFrom, emptyRunForm, type RunField, type RunForm } from '../../model/runForm';
import { useNavigate } from '../../app/navigation';
import { GetImage } from '../images/GetImage';
import { runSections } from './runSections';

export function CreateDialog({ mode, image, onClose }: { mode: 'create' | 'run'; image?: string; onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const go = useNavigate();
  const images = useQuery('image.list', { all: false }, { refreshOn: affectsImages });
  const [form, setForm] = useState<RunForm>(() => emptyRunForm(image ?? ''));
  // Which groups are open: a person's choice, and any group with a problem to fix (it stays open once fixed).
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  const set = <K extends RunField>(field: K, value: RunForm[K]) => setForm((f) => ({ ...f, [field]: value }));
  const chosen = form.image || (images.data?.[0] ? nameOf(images.data[0]) : '');
  const { options, problems } = createOptionsFrom({ ...form, image: chosen });
  const problem = (field: RunField) => problems.find((p) => p.field === field && p.index === undefined)?.message;
  const noImages = images.data !== undefined && images.data.length === 0 && !image;
  const command = mode === 'run' ? commands.run({ ...options, image: chosen || 'IMAGE', detach: true }) : commands.create({ ...options, image: chosen || 'IMAGE' });

  const submit = async () => {
    onClose();
    const created = await run(command, async () => {
      const { id } = await client.call('container.create', options);
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
      submitReason={noImages ? 'Get an image first' : problems.length ? `Fix first: ${problems[0].message}` : undefined}
      wide
    >
      <p className="dialog-lead">
        {mode === 'run'
          ? 'Adds a writable layer on top of the image’s layers and starts the command in a new process space.'
          : 'Adds a writable layer on top of the image’s layers. Nothing runs until you start it.'}
      </p>
      {noImages ? (
        <GetImage
          onImage={(ref) => set('image', ref)}
          onPulling={() => {
            onClose();
            go({ view: 'images', all: false });
          }}
        />
      ) : (
        <Field label="Image">
          <select value={chosen} onChange={(e) => set('image', e.target.value)}>
            {chosen && !images.data?.some((i) => nameOf(i) === chosen) && <option value={chosen}>{chosen}</option>}
            {images.data?.map((i) => (
              <option key={i.id} value={nameOf(i)}>
                {nameOf(i)}
              </option>
            ))}
          </select>
        </Field>
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
                <s.Body form={form} set={set} problem={problem} problems={problems} />
              </div>
            </details>
          );
        })}
      </div>
    </Dialog>
  );
}

const nameOf = (i: ImageSummary) => imageName(i.id, i.repoTags);
