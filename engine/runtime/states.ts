// Docker's container lifecycle: which operation each state allows, and the
// words Docker uses when it refuses. One table, so the CLI, the app's
// disabled buttons and the engine's checks all say the same thing.
//
//   created ──start──▶ running ──pause──▶ paused
//      ▲                │   ▲ ◀──unpause──┘ │
//      │              stop/kill/exit        │ stop/kill (thawed to let the signal in)
//      │                ▼   │               ▼
//      └─────────────── exited ◀────────────┘
//   rm: created | exited | dead (running or paused only with force)

import type { ContainerState } from '../api';
import { conflict } from '../errors';

export type Operation = 'start' | 'stop' | 'kill' | 'pause' | 'unpause' | 'restart' | 'remove' | 'exec' | 'attach' | 'commit' | 'export';

/** Why Docker would refuse `op` on a container in `state`, or undefined when it is allowed. */
export function refusal(op: Operation, state: ContainerState, ref: string, force = false): string | undefined {
  const running = state === 'running' || state === 'paused' || state === 'restarting';
  switch (op) {
    case 'start':
      if (state === 'paused') return 'cannot start a paused container, try unpause instead';
      if (state === 'removing') return `container ${ref} is marked for removal and cannot be started`;
      if (state === 'dead') return `container ${ref} is marked for removal and cannot be started`;
      return undefined;
    case 'stop':
    case 'restart':
      return undefined; // stopping a stopped container is a no-op, as in Docker
    case 'kill':
      return running ? undefined : `Cannot kill container: ${ref}: Container ${ref} is not running`;
    case 'pause':
      if (state === 'paused') return `Container ${ref} is already paused`;
      return state === 'running' ? undefined : `Container ${ref} is not running`;
    case 'unpause':
      return state === 'paused' ? undefined : `Container ${ref} is not paused`;
    case 'remove':
      // With force, a removal cut short by a crash can be finished.
      if (state === 'removing' && !force) return `removal of container ${ref} is already in progress`;
      if (running && !force) {
        return `cannot remove container "/${ref}": container is running: stop the container before removing or force remove`;
      }
      return undefined;
    case 'exec':
      if (state === 'paused') return `Container ${ref} is paused, unpause the container before exec`;
      return state === 'running' ? undefined : `Container ${ref} is not running`;
    case 'attach':
      if (state === 'paused') return `You cannot attach to a paused container, unpause it first`;
      return state === 'running' ? undefined : 'You cannot attach to a stopped container, start it first';
    case 'commit':
    case 'export':
      return state === 'removing' || state === 'dead' ? `Container ${ref} is ${state}` : undefined;
  }
}

export function assertAllowed(op: Operation, state: ContainerState, ref: string, force = false): void {
  const why = refusal(op, state, ref, force);
  if (why) throw conflict(why);
}
