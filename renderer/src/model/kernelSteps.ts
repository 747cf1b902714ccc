// The kernel's steps as a learner reads them: each `kernel` event of the
// engine's stream under the operation it belongs to (the container or image
// event beside it), in words, with its real values and the shell command
// that would do the same by hand.

import type { EngineEvent, KernelStep } from '../../../engine/api';

type Kernel = Extract<EngineEvent, { type: 'kernel' }>;
type Other = Exclude<EngineEvent, { type: 'kernel' }>;

/** What each step is, in a few words; a step the engine adds later shows under its own name. */
export const stepWords: Partial<Record<KernelStep, string>> = {
  clone: 'new process in new namespaces',
  namespaces: 'its namespaces (beside the host’s)',
  cgroup: 'cgroup joined',
  devices: 'device rules',
  netns_create: 'network namespace made first',
  netns_bind: 'network namespace kept',
  network_up: 'network up',
  netavark: 'netavark',
  mount: 'mount',
  mount_skipped: 'mount skipped',
  mknod: 'device node',
  mask: 'path masked',
  readonly: 'path read-only',
  pivot_root: 'pivot_root: the new root',
  sethostname: 'hostname',
  link_up: 'interface up',
  rlimit_clamped: 'limit clamped',
  capabilities: 'capabilities',
  seccomp: 'seccomp filter',
  init: 'init',
  exec: 'exec: the process',
  exit: 'exit',
  exec_failed: 'exec failed',
  network_down_failed: 'network teardown failed',
  signal: 'signal sent',
  freeze: 'freezer written',
  commit: 'writable layer tarred',
  save: 'blob written',
  remove: 'writable layer deleted',
};

/** Steps a learner should not miss: drawn stronger. */
export const keySteps: ReadonlySet<string> = new Set(['mount', 'namespaces', 'pivot_root', 'signal', 'freeze', 'commit', 'capabilities', 'seccomp']);

export interface StepRow {
  kind: 'step';
  key: string;
  step: string;
  words: string;
  id: string;
  time: number;
  /** The values, but the command, in the engine's order. */
  values: [string, string][];
  command?: string;
  /** A one-line summary: the values that say most (the overlay's dirs, the signal...). */
  headline: string;
}

export interface OperationRow {
  kind: 'operation';
  key: string;
  /** "container start", "image commit"... */
  title: string;
  name: string;
  id: string;
  time: number;
}

export type TimelineRow = StepRow | OperationRow;

/** Operations worth a heading: the ones that do kernel work, or end it. */
const headed = new Set(['create', 'start', 'stop', 'kill', 'die', 'pause', 'unpause', 'commit', 'destroy', 'save', 'export', 'exec_start', 'oom']);

function headline(step: string, d: Record<string, string>): string {
  switch (step) {
    case 'mount':
    case 'mount_skipped':
      return d.type === 'overlay' || d.source === 'overlay' ? `overlay on ${d.target}` : `${d.type || d.source} on ${d.target}`;
    case 'signal':
      return `${d.signal} to pid ${d.pid}${d.reason ? ` (${d.reason})` : ''}`;
    case 'freeze':
      return `${d.state} → ${d.file}`;
    case 'namespaces':
      return ['pid', 'mnt', 'net'].filter((k) => d[k]).map((k) => `${d[k]}${d[`host.${k}`] ? ` (host ${d[`host.${k}`].replace(/^\w+:/, '')})` : ''}`).join(' · ');
    case 'pivot_root':
      return d.new_root ?? '';
    case 'cgroup':
      return d.path ?? '';
    case 'commit':
      return `${d.files ?? '?'} files → ${d.diff_id ?? ''}`;
    case 'save':
      return `${d.kind ?? 'blob'} ${d.digest ?? ''}`;
    case 'capabilities':
      return d.effective !== undefined ? `effective: ${d.effective || 'none'}` : d.cap_effective ?? '';
    case 'seccomp':
      return `${d.profile ?? ''} profile, ${d.syscalls ?? '?'} syscalls named`;
    case 'exit':
      return `code ${d.exitCode}${d.signal && d.signal !== '0' ? `, signal ${d.signal}` : ''}`;
    default: {
      const first = Object.entries(d).find(([k]) => k !== 'command');
      return first ? `${first[0]}: ${first[1]}` : '';
    }
  }
}

export function stepRow(e: Kernel, seq: number): StepRow {
  const { command, ...rest } = e.detail;
  return {
    kind: 'step',
    key: `k${seq}`,
    step: e.step,
    words: stepWords[e.step as KernelStep] ?? e.step,
    id: e.id,
    time: e.time,
    values: Object.entries(rest),
    command: command || undefined,
    headline: headline(e.step, e.detail),
  };
}

export function operationRow(e: Other, seq: number): OperationRow | undefined {
  if (!headed.has(e.action)) return undefined;
  return {
    kind: 'operation',
    key: `o${seq}`,
    title: `${e.type} ${e.action}`,
    name: e.attributes.name ?? e.id.replace(/^sha256:/, '').slice(0, 12),
    id: e.id,
    time: e.time,
  };
}

/**
 * Adds a row, keeping the newest `limit`. The engine reports an operation
 * (`container start`) once its kernel work is done, so an operation's
 * heading goes above the steps of the same object that came just before it
 * and after that object's previous operation.
 */
export function appendRow(rows: readonly TimelineRow[], row: TimelineRow, limit = 600): TimelineRow[] {
  let at = rows.length;
  if (row.kind === 'operation') {
    let since = -Infinity;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (rows[i].kind === 'operation' && rows[i].id === row.id) {
        since = rows[i].time;
        break;
      }
    }
    while (at > 0 && rows[at - 1].kind === 'step' && rows[at - 1].id === row.id && rows[at - 1].time > since) at--;
  }
  const all = [...rows.slice(0, at), row, ...rows.slice(at)];
  return all.length > limit ? all.slice(all.length - limit) : all;
}

/** The rows about one object (a container's id, or an image's), with their operations' headings. */
export function rowsFor(rows: readonly TimelineRow[], id: string | undefined): TimelineRow[] {
  if (!id) return [...rows];
  const bare = id.replace(/^sha256:/, '');
  return rows.filter((r) => r.id.replace(/^sha256:/, '') === bare);
}
