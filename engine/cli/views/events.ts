// `strata events`: docker's line format and its JSON message. Kernel events
// (what the engine and the launcher did: mount, clone, pivot_root...) print
// the same way, with the step as the action and the details as attributes.

import type { EngineEvent } from '../../api';
import { actorOf } from '../../filters/events';
import { sortedMap } from '../gojson';
import { rfc3339NanoFixed } from '../gotime';

/** `2026-11-28T03:46:46.123456789Z container start <id> (image=busybox, name=web)` */
export function eventLine(event: EngineEvent): string {
  const actor = actorOf(event);
  let line = `${rfc3339NanoFixed(event.time)} ${actor.type} ${actor.action} ${actor.id}`;
  const keys = Object.keys(actor.attributes).sort();
  if (keys.length > 0) line += ` (${keys.map((k) => `${k}=${actor.attributes[k]}`).join(', ')})`;
  return line;
}

/** events.Message as the docker daemon fills it: the legacy status/id/from for containers and images. */
export function eventMessage(event: EngineEvent): Record<string, unknown> {
  const actor = actorOf(event);
  const legacy: Record<string, unknown> = {};
  if (actor.type === 'container' || actor.type === 'image') {
    legacy.status = actor.action;
    legacy.id = actor.id;
    if (actor.type === 'container' && actor.attributes.image) legacy.from = actor.attributes.image;
  }
  return {
    ...legacy,
    Type: actor.type,
    Action: actor.action,
    Actor: { ID: actor.id, Attributes: sortedMap(actor.attributes) },
    scope: 'local',
    time: Math.floor(event.time / 1e9),
    timeNano: event.time,
  };
}
