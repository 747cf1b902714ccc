// The engine's side of Docker's lifecycle table (engine/api.ts holds the
// table itself, so the app's disabled buttons read the same words): an
// operation the state forbids is a Conflict.

import { refusal, type ContainerState, type Operation } from '../api';
import { conflict } from '../errors';

export function assertAllowed(op: Operation, state: ContainerState, ref: string, force = false): void {
  const why = refusal(op, state, ref, force);
  if (why) throw conflict(why);
}
