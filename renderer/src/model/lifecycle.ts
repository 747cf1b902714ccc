// The container lifecycle as the app draws it and offers it: four states,
// the transitions between them, and the ten buttons with the reason Docker
// would give for refusing each one. The refusals come from the engine's own
// table (in engine/api.ts), so the button, the CLI and the engine
// always say the same thing.

import { isLive, refusal, type ContainerState, type Operation, type RequestName } from '../../../engine/api';

export type DiagramState = 'created' | 'running' | 'paused' | 'exited';

/** The buttons' accessible names, exactly; tests and people find them by these. */
export const lifecycleActions = ['Create', 'Start', 'Stop', 'Kill', 'Pause', 'Unpause', 'Restart', 'Commit', 'Export', 'Remove'] as const;
export type LifecycleAction = (typeof lifecycleActions)[number];

export interface Transition {
  from: DiagramState | 'image';
  to: DiagramState | 'removed';
  actions: LifecycleAction[];
  label: string;
}

/** Every arrow of the state diagram. `exit` is the process ending by itself: no button makes it. */
export const transitions: readonly Transition[] = [
  { from: 'image', to: 'created', actions: ['Create'], label: 'create' },
  { from: 'created', to: 'running', actions: ['Start'], label: 'start' },
  { from: 'running', to: 'paused', actions: ['Pause'], label: 'pause' },
  { from: 'paused', to: 'running', actions: ['Unpause'], label: 'unpause' },
  { from: 'running', to: 'exited', actions: ['Stop', 'Kill'], label: 'stop · kill · exit' },
  { from: 'paused', to: 'exited', actions: ['Stop', 'Kill'], label: 'stop · kill' },
  { from: 'exited', to: 'running', actions: ['Start', 'Restart'], label: 'start · restart' },
  { from: 'running', to: 'running', actions: ['Restart'], label: 'restart' },
  { from: 'created', to: 'removed', actions: ['Remove'], label: 'rm' },
  { from: 'exited', to: 'removed', actions: ['Remove'], label: 'rm' },
];

/** Which node of the diagram a Docker state lights (restarting is drawn as running). */
export function diagramState(state: ContainerState): DiagramState {
  switch (state) {
    case 'created':
    case 'running':
    case 'paused':
    case 'exited':
      return state;
    case 'restarting':
      return 'running';
    case 'removing':
    case 'dead':
      return 'exited';
  }
}

/** The request each button makes. Create, Commit and Export first ask for a name or a file. */
const actionRequest: Record<LifecycleAction, RequestName | string> = {
  Create: 'container.create',
  Start: 'container.start',
  Stop: 'container.stop',
  Kill: 'container.kill',
  Pause: 'container.pause',
  Unpause: 'container.unpause',
  Restart: 'container.restart',
  Commit: 'container.commit',
  Export: 'container.export',
  Remove: 'container.remove',
};

const operation: Partial<Record<LifecycleAction, Operation>> = {
  Start: 'start',
  Stop: 'stop',
  Kill: 'kill',
  Pause: 'pause',
  Unpause: 'unpause',
  Restart: 'restart',
  Commit: 'commit',
  Export: 'export',
  Remove: 'remove',
};

export interface Availability {
  enabled: boolean;
  /** Why it is disabled, in Docker's words where Docker has them. */
  reason?: string;
}

/**
 * Whether a button is offered for a container in `state`. `ref` is how the
 * container is named in messages; `has` says whether this engine serves a
 * request (commit and export arrive with image exchange).
 */
export function availability(action: LifecycleAction, state: ContainerState, ref: string, has: (request: string) => boolean): Availability {
  if (!has(actionRequest[action])) return { enabled: false, reason: `${action} is coming with image exchange` };
  // Docker answers these two with a no-op rather than a refusal; a button that does nothing would mislead.
  if (action === 'Start' && isLive(state) && state !== 'paused') return { enabled: false, reason: `Container ${ref} is already running` };
  if (action === 'Stop' && !isLive(state)) return { enabled: false, reason: `Container ${ref} is not running: there is nothing to stop` };
  const op = operation[action];
  const why = op ? refusal(op, state, ref) : undefined;
  return why ? { enabled: false, reason: why } : { enabled: true };
}

/** The transitions a person can take from `state` now (lit in the diagram). */
export function openTransitions(state: ContainerState, ref: string, has: (request: string) => boolean): Transition[] {
  const here = diagramState(state);
  return transitions.filter(
    (t) => t.from === here && t.actions.some((a) => availability(a, state, ref, has).enabled),
  );
}
