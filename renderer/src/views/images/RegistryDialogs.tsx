// The two dialogs that talk to registries: Pull (a reference, optionally a
// platform) and Log in (a registry, a user, a password, kept where the
// docker CLI keeps credentials). Each shows the command it equals; the
// password is never part of it.

import { useState } from 'react';
import { Dialog, Field } from '../../components/Dialog';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { commands } from '../../model/commands';
import { isPullable } from '../../model/reference';

export function PullDialog({ onClose, onPull }: { onClose(): void; onPull(reference: string, platform: string): void }) {
  const [reference, setReference] = useState('');
  const [platform, setPlatform] = useState('');
  const ref = reference.trim();
  const valid = isPullable(ref) && (platform === '' || /^[a-z0-9_-]+(\/[a-z0-9_-]+){0,2}$/i.test(platform.trim()));
  return (
    <Dialog
      title="Pull an image"
      submitLabel="Pull"
      command={commands.pull(ref || 'NAME[:TAG]', platform.trim())}
      submitDisabled={!valid}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        onPull(ref, platform.trim());
      }}
    >
      <p className="dialog-lead">A pull asks a registry for the image’s manifest, then downloads each layer the store does not have yet. Layers already here are reused.</p>
      <Field label="Image" hint="name[:tag], host:port/name[:tag] or name@sha256:…; Docker Hub when no registry is named">
        <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder="ubuntu:24.04" autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Platform (optional)" hint="os/arch[/variant], e.g. linux/arm64: which image of a multi-platform index; this machine’s by default">
        <input value={platform} onChange={(e) => setPlatform(e.target.value)} placeholder="linux/amd64" autoComplete="off" spellCheck={false} />
      </Field>
    </Dialog>
  );
}

export function LoginDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const [server, setServer] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const command = commands.login(server.trim(), username.trim());
  return (
    <Dialog
      title="Log in to a registry"
      submitLabel="Log in"
      command={command}
      submitDisabled={username.trim() === '' || password === ''}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        void run(
          command,
          () => client.call('registry.login', { username: username.trim(), password, ...(server.trim() ? { server: server.trim() } : {}) }),
          (r) => `${r.status} (${r.server})${r.plainTextFile ? `: kept in ${r.plainTextFile}` : ''}`,
        );
      }}
    >
      <p className="dialog-lead">The registry checks the password first; only then is it kept, where the docker CLI keeps it (~/.docker/config.json, or its credential helper).</p>
      <Field label="Registry" hint="host[:port]; empty for Docker Hub">
        <input value={server} onChange={(e) => setServer(e.target.value)} placeholder="docker.io" autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Username">
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" spellCheck={false} />
      </Field>
      <Field label="Password or access token">
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
      </Field>
    </Dialog>
  );
}
