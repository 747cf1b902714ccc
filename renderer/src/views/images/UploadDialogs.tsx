// Load and Import from the app: the person picks a file in the browser and
// its bytes go to the engine over an upload stream (data/upload.ts), never
// as a path; the dialog shows how far the upload got and can cancel it. Each
// equals a `strata load` or `strata import` of the same file.

import { useRef, useState } from 'react';
import type { LoadedImage } from '../../../../engine/api';
import { Dialog, Field } from '../../components/Dialog';
import { ListField } from '../../components/ListField';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { uploadFile, type UploadProgress, type UploadStream } from '../../data/upload';
import { commands } from '../../model/commands';
import { shortId, size } from '../../model/format';
import { isReference } from '../../model/reference';

/** What `strata load` prints, on one line. */
export function describeLoad(images: readonly LoadedImage[]): string {
  return images.map((i) => (i.repoTags.length ? i.repoTags.map((t) => `Loaded image: ${t}`).join(' · ') : `Loaded image ID: ${i.id}`)).join(' · ');
}

function useUpload() {
  const client = useClient();
  const { run } = useActions();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const cancel = useRef<() => void>(() => {});
  const start = <K extends UploadStream>(command: string, name: K, arg: Parameters<typeof uploadFile<K>>[2], file: File, describe: (r: never) => string) => {
    setProgress({ received: 0, total: file.size });
    return run(
      command,
      () => {
        const u = uploadFile(client, name, arg, file, setProgress);
        cancel.current = u.cancel;
        return u.done;
      },
      describe as (r: unknown) => string,
    ).finally(() => setProgress(null));
  };
  return { progress, start, cancel: () => cancel.current() };
}

function Progress({ p, what }: { p: UploadProgress; what: string }) {
  return (
    <div className="upload-progress" role="status">
      <progress max={p.total || 1} value={p.received} aria-label={`${what} uploaded`} />
      <span>
        {size(p.received)} of {size(p.total)} sent to the engine
      </span>
    </div>
  );
}

function FilePicker({ label, hint, onPick }: { label: string; hint: string; onPick(file: File | null): void }) {
  return (
    <Field label={label} hint={hint}>
      <input type="file" accept=".tar,.tar.gz,.tgz,.tar.xz,.txz,.tar.bz2,.tar.zst,application/x-tar,application/gzip" onChange={(e) => onPick(e.target.files?.[0] ?? null)} />
    </Field>
  );
}

export function LoadDialog({ onClose, onLoaded }: { onClose(): void; onLoaded?(images: LoadedImage[]): void }) {
  const [file, setFile] = useState<File | null>(null);
  const upload = useUpload();
  const command = commands.load(file?.name ?? 'FILE.tar');
  return (
    <Dialog
      title="Load images from an archive"
      submitLabel={upload.progress ? 'Loading…' : 'Load'}
      command={command}
      submitDisabled={!file || upload.progress !== null}
      submitReason={!file ? 'Choose an archive first' : undefined}
      onClose={() => {
        upload.cancel();
        onClose();
      }}
      onSubmit={async () => {
        if (!file) return;
        const loaded = await upload.start(command, 'image.loadStream', {}, file, describeLoad as (r: never) => string);
        if (loaded) {
          onClose();
          onLoaded?.(loaded as LoadedImage[]);
        }
      }}
    >
      <p className="dialog-lead">
        An archive that <code>strata save</code> or <code>docker save</code> wrote, or an OCI image layout as a tar: every image in it, each
        layer with its metadata. Each layer is checked against its digest before it lands.
      </p>
      <FilePicker label="Archive" hint="Sent from this browser to the engine; the engine reads no path of yours." onPick={setFile} />
      {upload.progress && <Progress p={upload.progress} what="Archive" />}
    </Dialog>
  );
}

export function ImportDialog({ onClose, onImported }: { onClose(): void; onImported?(id: string): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [reference, setReference] = useState('');
  const [message, setMessage] = useState('');
  const [changes, setChanges] = useState<string[]>([]);
  const upload = useUpload();
  const ref = reference.trim();
  const invalid = ref !== '' && !isReference(ref);
  const options = {
    ...(ref ? { reference: ref } : {}),
    ...(message.trim() ? { message: message.trim() } : {}),
    ...(changes.some((c) => c.trim()) ? { changes: changes.map((c) => c.trim()).filter(Boolean) } : {}),
  };
  const command = commands.import(file?.name ?? 'FILE.tar', options);
  return (
    <Dialog
      title="Import a file system as an image"
      submitLabel={upload.progress ? 'Importing…' : 'Import'}
      command={command}
      submitDisabled={!file || invalid || upload.progress !== null}
      submitReason={!file ? 'Choose a tarball first' : invalid ? 'Fix the repository and tag first' : undefined}
      onClose={() => {
        upload.cancel();
        onClose();
      }}
      onSubmit={async () => {
        if (!file) return;
        const made = await upload.start(command, 'image.importStream', options, file, ((r: { id: string }) => shortId(r.id)) as (r: never) => string);
        if (made) {
          onClose();
          onImported?.((made as { id: string }).id);
        }
      }}
    >
      <p className="dialog-lead">
        A tarball of a root file system (what <code>strata export</code> writes, or any rootfs tar) becomes an image of one layer, with no
        history before it.
      </p>
      <FilePicker label="File system tarball" hint="Sent from this browser to the engine; the engine reads no path of yours." onPick={setFile} />
      <Field label="Repository and tag" hint={invalid ? 'Use lower-case name[:tag], e.g. myfs:v1' : 'Optional; without it the image is <none>:<none>.'}>
        <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder="myfs:v1" autoComplete="off" spellCheck={false} aria-invalid={invalid || undefined} />
      </Field>
      <Field label="Message" hint="The history comment (-m); Docker’s default is “Imported from -”.">
        <input value={message} onChange={(e) => setMessage(e.target.value)} autoComplete="off" />
      </Field>
      <ListField
        label="Dockerfile instructions (-c)"
        itemLabel="Instruction"
        addLabel="Add an instruction"
        values={changes}
        onChange={setChanges}
        placeholder='CMD ["sh"]'
        hint="Applied to the new image’s config: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL."
      />
      {upload.progress && <Progress p={upload.progress} what="Tarball" />}
    </Dialog>
  );
}
