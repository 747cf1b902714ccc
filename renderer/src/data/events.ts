// Which engine events make which views stale.

import type { EngineEvent } from '../../../engine/api';
import type { HubMessage } from './eventHub';

const isEvent = (m: HubMessage): m is EngineEvent => m.type !== 'resync';

/** Anything that changes images, containers, networks or volumes (kernel steps change none). */
export const isEngineChange = (m: HubMessage) =>
  m.type === 'container' || m.type === 'image' || m.type === 'build' || m.type === 'network' || m.type === 'volume';

/** Networks change with their own events and with containers starting, stopping, coming and going. */
export const affectsNetworks = (m: HubMessage) => m.type === 'network' || m.type === 'container';

/** Volumes change with their own events and with containers coming and going (who mounts them). */
export const affectsVolumes = (m: HubMessage) => m.type === 'volume' || (m.type === 'container' && ['create', 'destroy', 'start', 'die'].includes(m.action));

/** Images change with image events and with commits (a new image) and container create/destroy (their counts). */
export const affectsImages = (m: HubMessage) =>
  m.type === 'image' || m.type === 'build' || (m.type === 'container' && ['commit', 'create', 'destroy'].includes(m.action));

export const aboutContainer = (id: string | undefined) => (m: HubMessage) =>
  isEvent(m) && m.type === 'container' && id !== undefined && (m.id === id || m.id.startsWith(id));

export const aboutImage = (id: string | undefined) => (m: HubMessage) =>
  isEvent(m) && (m.type === 'image' || m.type === 'build') && id !== undefined && (m.id === id || m.id === id.replace(/^sha256:/, ''));
