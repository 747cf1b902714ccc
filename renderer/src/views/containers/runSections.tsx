// The Run and Create dialogs' option groups, one per concern, in the order
// `docker run --help` readers look for them. Each says in its closed summary
// what is set in it, so a folded dialog still shows the whole container.
// Another concern (a pull policy, CPU limits) is one more entry in
// `runSections`.

import type { ReactNode } from 'react';
import { Field } from '../../components/Dialog';
import { ListField } from '../../components/ListField';
import type { FormProblem, RunField, RunForm } from '../../model/runForm';

export interface SectionProps {
  form: RunForm;
  /** The networks a container can join: Docker's three and those made here. */
  networks: readonly string[];
  set<K extends RunField>(field: K, value: RunForm[K]): void;
  problem(field: RunField): string | undefined;
  problems: readonly FormProblem[];
}

export interface RunSection {
  id: string;
  title: string;
  /** The form fields it holds: a problem with one opens the section. */
  fields: readonly RunField[];
  /** What is set in it, in flag form, for the closed summary; empty when nothing is. */
  summary(form: RunForm): string[];
  Body(props: SectionProps): ReactNode;
}

const count = (rows: readonly string[]) => rows.filter((r) => r.trim()).length;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const terminal: RunSection = {
  id: 'terminal',
  fields: ['interactive', 'tty', 'autoRemove'],
  title: 'Terminal and lifetime',
  summary: (f) => [f.interactive && f.tty ? '-it' : f.interactive ? '-i' : f.tty ? '-t' : '', f.autoRemove ? '--rm' : ''].filter(Boolean),
  Body: ({ form, set }) => (
    <>
      <label className="check">
        <input type="checkbox" checked={form.interactive} onChange={(e) => set('interactive', e.target.checked)} />
        Keep standard input open (<code>-i</code>), so a shell waits for what you type
      </label>
      <label className="check">
        <input type="checkbox" checked={form.tty} onChange={(e) => set('tty', e.target.checked)} />
        Give it a terminal (<code>-t</code>): the Terminal tab can attach to it
      </label>
      <label className="check">
        <input type="checkbox" checked={form.autoRemove} onChange={(e) => set('autoRemove', e.target.checked)} />
        Remove the container when its process exits (<code>--rm</code>): its writable layer goes too
      </label>
    </>
  ),
};

const environment: RunSection = {
  id: 'environment',
  fields: ['env', 'workingDir', 'user', 'hostname'],
  title: 'Environment, user and working directory',
  summary: (f) => [count(f.env) ? plural(count(f.env), 'variable') : '', f.workingDir.trim() && `-w ${f.workingDir.trim()}`, f.user.trim() && `-u ${f.user.trim()}`, f.hostname.trim() && `-h ${f.hostname.trim()}`].filter(Boolean),
  Body: ({ form, set, problem, problems }) => (
    <>
      <ListField
        label="Environment variables (-e)"
        itemLabel="Environment variable"
        addLabel="Add a variable"
        values={form.env}
        onChange={(v) => set('env', v)}
        placeholder="NAME=value"
        problems={problems.filter((p) => p.field === 'env')}
      />
      <div className="field-row">
        <Field label="Working directory (-w)" hint="Where the command starts; the image’s WORKDIR when empty." problem={problem('workingDir')}>
          <input value={form.workingDir} onChange={(e) => set('workingDir', e.target.value)} placeholder="/" className="mono" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="User (-u)" hint="name or uid[:group]; the image’s USER (often root) when empty.">
          <input value={form.user} onChange={(e) => set('user', e.target.value)} placeholder="nobody" className="mono" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Host name (-h)" hint="Its own UTS namespace; the short id when empty.">
          <input value={form.hostname} onChange={(e) => set('hostname', e.target.value)} className="mono" autoComplete="off" spellCheck={false} />
        </Field>
      </div>
    </>
  ),
};

const storage: RunSection = {
  id: 'storage',
  fields: ['binds'],
  title: 'Storage',
  summary: (f) => (count(f.binds) ? [plural(count(f.binds), 'volume')] : []),
  Body: ({ form, set, problems }) => (
    <ListField
      label="Volumes (-v)"
      itemLabel="Volume"
      addLabel="Add a volume"
      values={form.binds}
      onChange={(v) => set('binds', v)}
      placeholder="data:/var/lib/data or /host/dir:/in/container[:ro]"
      hint="NAME:/path mounts a named volume (made if missing), /host/dir:/path binds a host directory, a lone /path a new anonymous volume: what the container writes there lands beside its layers, not in its writable layer."
      problems={problems.filter((p) => p.field === 'binds')}
    />
  ),
};

const network: RunSection = {
  id: 'network',
  fields: ['network', 'ports'],
  title: 'Network',
  summary: (f) => [f.network && `--network ${f.network}`, count(f.ports) ? plural(count(f.ports), 'published port') : ''].filter(Boolean),
  Body: ({ form, set, problem, problems, networks }) => (
    <>
      <Field label="Network (--network)" hint="The default bridge (an address of its own, reached from the host), none (loopback only), the host’s own, or a network made here." problem={problem('network')}>
        <select value={form.network} onChange={(e) => set('network', e.target.value)}>
          <option value="">bridge (the default)</option>
          {networks
            .filter((n) => n !== 'bridge')
            .map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
        </select>
      </Field>
      <ListField
        label="Published ports (-p)"
        itemLabel="Published port"
        addLabel="Add a port"
        values={form.ports}
        onChange={(v) => set('ports', v)}
        placeholder="8080:80 or 127.0.0.1:8443:443 or 53/udp"
        hint="[HOST-IP:][HOST-PORT:]CONTAINER-PORT[/udp]: a port of this machine that leads into the container."
        problems={problems.filter((p) => p.field === 'ports')}
      />
    </>
  ),
};

const lifecycle: RunSection = {
  id: 'lifecycle',
  fields: ['entrypoint', 'stopSignal', 'stopTimeout'],
  title: 'Entrypoint and stopping',
  summary: (f) => [f.entrypoint.trim() && `--entrypoint ${f.entrypoint.trim()}`, f.stopSignal.trim() && `--stop-signal ${f.stopSignal.trim()}`, f.stopTimeout.trim() && `--stop-timeout ${f.stopTimeout.trim()}`].filter(Boolean),
  Body: ({ form, set, problem }) => (
    <>
      <Field label="Entrypoint (--entrypoint)" hint="The program the command is given to; the image’s ENTRYPOINT when empty.">
        <input value={form.entrypoint} onChange={(e) => set('entrypoint', e.target.value)} placeholder="/bin/sh" className="mono" autoComplete="off" spellCheck={false} />
      </Field>
      <div className="field-row">
        <Field label="Stop signal (--stop-signal)" hint="What Stop sends first; SIGTERM when empty." problem={problem('stopSignal')}>
          <input value={form.stopSignal} onChange={(e) => set('stopSignal', e.target.value)} placeholder="SIGTERM" list="stop-signals" className="mono" autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Stop timeout, seconds (--stop-timeout)" hint="How long Stop waits before SIGKILL; 10 when empty." problem={problem('stopTimeout')}>
          <input value={form.stopTimeout} onChange={(e) => set('stopTimeout', e.target.value)} placeholder="10" inputMode="numeric" className="mono" autoComplete="off" />
        </Field>
      </div>
      <datalist id="stop-signals">
        {['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGKILL'].map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  ),
};

const resources: RunSection = {
  id: 'resources',
  fields: ['memory', 'pidsLimit'],
  title: 'Resources',
  summary: (f) => [f.memory.trim() && `-m ${f.memory.trim()}`, f.pidsLimit.trim() && `--pids-limit ${f.pidsLimit.trim()}`].filter(Boolean),
  Body: ({ form, set, problem }) => (
    <div className="field-row">
      <Field label="Memory limit (-m)" hint="e.g. 20m: past it the kernel’s OOM killer ends the container. None when empty." problem={problem('memory')}>
        <input value={form.memory} onChange={(e) => set('memory', e.target.value)} placeholder="none" className="mono" autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Process limit (--pids-limit)" hint="e.g. 64: past it fork fails. None when empty." problem={problem('pidsLimit')}>
        <input value={form.pidsLimit} onChange={(e) => set('pidsLimit', e.target.value)} placeholder="none" inputMode="numeric" className="mono" autoComplete="off" />
      </Field>
    </div>
  ),
};

const metadata: RunSection = {
  id: 'metadata',
  fields: ['labels'],
  title: 'Labels',
  summary: (f) => (count(f.labels) ? [plural(count(f.labels), 'label')] : []),
  Body: ({ form, set, problems }) => (
    <ListField
      label="Labels (-l)"
      itemLabel="Label"
      addLabel="Add a label"
      values={form.labels}
      onChange={(v) => set('labels', v)}
      placeholder="key=value"
      hint="Metadata on the container, shown by inspect; nothing in it runs differently."
      problems={problems.filter((p) => p.field === 'labels')}
    />
  ),
};

export const runSections: readonly RunSection[] = [terminal, environment, storage, network, lifecycle, resources, metadata];
