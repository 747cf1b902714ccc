// `events --filter`: which events pass, as dockerd's daemon/events/filter.go
// decides. Keys are not checked (dockerd ignores one it does not know).
// container, image, daemon... match the event's actor by id or name, prefix
// or whole, whatever the event's type; image also matches a container's
// image and the name without its tag; event matches the action (exec_create
// and the like by prefix); label matches the actor's attributes.

import type { EngineEvent } from '../api';
import { familiarName, parseReference } from '../oci/reference';
import { FilterArgs } from './args';

/** Who an event is about, as Docker's events.Actor, with the type and action beside it. */
export interface Actor {
  type: string;
  action: string;
  id: string;
  attributes: Record<string, string>;
}

/** A kernel event's step is its action, its details its attributes. */
export function actorOf(event: EngineEvent): Actor {
  if (event.type === 'kernel') return { type: 'kernel', action: event.step, id: event.id, attributes: event.detail };
  return event;
}

/** A source that equals one value, or starts with one (FuzzyMatch). */
function fuzzyMatch(filters: FilterArgs, key: string, source: string | undefined): boolean {
  if (!filters.contains(key)) return true;
  return source !== undefined && filters.get(key).some((v) => source === v || source.startsWith(v));
}

function stripTag(image: string): string {
  try {
    return familiarName(parseReference(image));
  } catch {
    return image;
  }
}

const nameKinds = ['daemon', 'container', 'plugin', 'volume', 'network', 'node', 'service', 'secret', 'config'];

export function eventMatches(filters: FilterArgs, event: EngineEvent): boolean {
  const actor = actorOf(event);
  const fuzzyActions = ['health_status', 'exec_create', 'exec_start'];
  const actionOk = filters.get('event').some((v) => fuzzyActions.includes(v)) ? fuzzyMatch(filters, 'event', actor.action) : filters.exactMatch('event', actor.action);
  if (!actionOk || !filters.exactMatch('type', actor.type) || !filters.exactMatch('scope', 'local')) return false;
  for (const kind of nameKinds) {
    if (!fuzzyMatch(filters, kind, actor.id) && !fuzzyMatch(filters, kind, actor.attributes.name)) return false;
  }
  const imageName = actor.attributes[actor.type === 'image' ? 'name' : 'image'] ?? '';
  const imageOk = [actor.id, imageName, stripTag(actor.id), stripTag(imageName)].some((s) => filters.exactMatch('image', s));
  return imageOk && filters.matchKVList('label', actor.attributes);
}
