// `strata events`: docker's line format and its JSON message. Kernel events
// (what the engine and the launcher did: mount, clone, pivot_root...) print
// the same way, with the step as the action and the details as attributes.

import type { EngineEvent } from '../../api';
import { sortedMap } from '../gojson';
import { rfc3339NanoFixed } from '../gotime';

interface Actor {
  type: string;
  action: string;
  id: string;
  attributes: Record<string, string>;
}

function actorOf(event: EngineEvent): Actor {
  if (event.type === 'kernel') return { type: 'kernel', action: event.step, id: event.id, attributes: event.detail };
  return { type: event.type, action: event.action, id: event.id, attributes: event.attributes };
}

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

const filterKeys = ['type', 'event', 'container'] as const;

/**
 * docker events --filter: `type=kernel`, `event=signal` (the action, or a
 * kernel event's step), `container=NAME|ID` (an id prefix, or the name a
 * container event carries). Values of one key are alternatives; keys all
 * have to match. Throws docker's message for a key it does not know.
 */
export function eventFilter(filters: readonly string[]): (event: EngineEvent) => boolean {
  const wanted = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    if (eq < 0 || !(filterKeys as readonly string[]).includes(key)) throw new Error(`Invalid filter '${key}'`);
    wanted.set(key, [...(wanted.get(key) ?? []), f.slice(eq + 1)]);
  }
  return (event) => {
    const actor = actorOf(event);
    const matches: Record<(typeof filterKeys)[number], (v: string) => boolean> = {
      type: (v) => actor.type === v,
      event: (v) => actor.action === v,
      container: (v) => (actor.type === 'container' || actor.type === 'kernel') && (actor.id.startsWith(v) || actor.attributes.name === v),
    };
    return [...wanted].every(([key, values]) => values.some(matches[key as (typeof filterKeys)[number]]));
  };
}
