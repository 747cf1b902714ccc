// Create or run a container from an image: the form, and as it is filled in,
// the exact `strata create` / `strata run -d` line it equals.

import { useState } from 'react';
import type { CreateOptions, ImageSummary, PortBindings } from '../../../../engine/api';
import { parsePublishList } from '../../../../engine/network/portSpec';
import { Dialog, Field } from '../../components/Dialog';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { useQuery } from '../../data/useQuery';
import { commands, imageName, splitWords } from '../../model/commands';
import { shortId } from '../../model/format';
import { parseRamBytes } from '../../../../engine/humanize';
import { useNavigate } from '../../app/navigation';

export function CreateDialog({ mode, image, onClose }: { mode: 'create' | 'run'; image?: string; onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const go = useNavigate();
  const images = useQuery('image.list', { all: false });
  const [ref, setRef] = useState(image ?? '');
  const [name, setName] = useState('');
  const [cmd, setCmd] = useState('');
  const [interactive, setInteractive] = useState(true);
  const [memory, setMemory] = useState('');
  const [pids, setPids] = useState('');
  const [ports, setPorts] = useState('');
  const [network, setNetwork] = useState('bridge');
  const [volumes, setVolumes] = useState('');
  const networks = useQuery('network.list', {});
  const published = publishedPorts(ports);
  const binds = splitWords(volumes);
  const chosen = ref || (images.data?.[0] ? nameOf(images.data[0]) : '');
  const memoryBytes = readSize(memory);
  const pidsLimit = /^\d+$/.test(pids.trim()) ? Number(pids.trim()) : undefined;
  const options: CreateOptions = {
    image: chosen,
    ...(name.trim() ? { name: name.trim() } : {}),
    ...(cmd.trim() ? { cmd: splitWords(cmd) } : {}),
    ...(interactive ? { tty: true, openStdin: true } : {}),
    ...(typeof memoryBytes === 'number' ? { memory: memoryBytes } : {}),
    ...(pidsLimit ? { pidsLimit } : {}),
    ...(binds.length > 0 ? { binds } : {}),
    ...(network !== 'bridge' ? { networkMode: network } : {}),
    ...('bindings' in published && Object.keys(published.bindings).length > 0 ? { portBindings: published.bindings } : {}),
  };
  const command = mode === 'run' ? commands.run({ ...options, detach: true }) : commands.create(options);

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
      submitDisabled={!chosen || 'error' in published || typeof memoryBytes === 'string' || (pids.trim() !== '' && !pidsLimit)}
    >
      <p className="dialog-lead">
        {mode === 'run'
          ? 'Adds a writable layer on top of the image’s layers and starts the command in a new process space.'
          : 'Adds a writable layer on top of the image’s layers. Nothing runs until you start it.'}
      </p>
      <Field label="Image">
        <select value={chosen} onChange={(e) => setRef(e.target.value)}>
          {image && !images.data?.some((i) => nameOf(i) === image) && <option value={image}>{image}</option>}
          {images.data?.map((i) => (
            <option key={i.id} value={nameOf(i)}>
              {nameOf(i)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Name" hint="Optional; the engine picks one like Docker does.">
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. web" autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Command" hint="Optional; the image’s own command when empty.">
        <input value={cmd} onChange={(e) => setCmd(e.target.value)} placeholder="e.g. sh -c 'echo hi > /happiness.txt'" autoComplete="off" spellCheck={false} className="mono" />
      </Field>
      <Field label="Ports" hint={'error' in published ? published.error : 'Optional; as -p, HOST:CONTAINER, e.g. 8080:80 127.0.0.1:8443:443 53/udp.'}>
        <input value={ports} onChange={(e) => setPorts(e.target.value)} placeholder="e.g. 8080:80" autoComplete="off" spellCheck={false} className="mono" aria-invalid={'error' in published || undefined} />
      </Field>
      <Field label="Network" hint="The default bridge, none, the host's own, or a network you made.">
        <select value={network} onChange={(e) => setNetwork(e.target.value)}>
          {['bridge', 'none', 'host', ...(networks.data ?? []).map((n) => n.name).filter((n) => !['bridge', 'none', 'host'].includes(n))].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Volumes" hint="Optional; as -v, NAME:/path for a volume, /host/dir:/path[:ro] for a bind.">
        <input value={volumes} onChange={(e) => setVolumes(e.target.value)} placeholder="e.g. data:/var/lib/data" autoComplete="off" spellCheck={false} className="mono" />
      </Field>
      <div className="field-row">
        <Field label="Memory limit" hint={typeof memoryBytes === 'string' ? memoryBytes : 'Optional, e.g. 20m: past it the kernel’s OOM killer ends the container.'}>
          <input value={memory} onChange={(e) => setMemory(e.target.value)} placeholder="none" autoComplete="off" spellCheck={false} className="mono" aria-invalid={typeof memoryBytes === 'string'} />
        </Field>
        <Field label="Process limit" hint="Optional, e.g. 64: past it fork fails.">
          <input value={pids} onChange={(e) => setPids(e.target.value)} placeholder="none" autoComplete="off" inputMode="numeric" className="mono" />
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={interactive} onChange={(e) => setInteractive(e.target.checked)} />
        Keep standard input open with a terminal (<code>-it</code>), so a shell stays up
      </label>
    </Dialog>
  );
}

const nameOf = (i: ImageSummary) => imageName(i.id, i.repoTags);

/** The -p values typed, parsed as the CLI parses them, or why they are not valid. */
function publishedPorts(text: string): { bindings: PortBindings } | { error: string } {
  try {
    return { bindings: parsePublishList(splitWords(text)) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** A size as `-m` takes it: bytes, undefined when empty, or why it is not one. */
function readSize(text: string): number | string | undefined {
  if (!text.trim()) return undefined;
  try {
    return parseRamBytes(text.trim());
  } catch (err) {
    return (err as Error).message;
  }
}
