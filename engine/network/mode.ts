// What a container's NetworkMode says, in one place: Docker's predefined
// host and none, another container's namespace, or networks to join.

export type NetworkKind = 'host' | 'none' | 'container' | 'networks';

export function networkKind(mode: string): NetworkKind {
  if (mode === 'host' || mode === 'none') return mode;
  return mode.startsWith('container:') ? 'container' : 'networks';
}
