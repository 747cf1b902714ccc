// A pull as the app draws it, folded from the engine's PullMessages: the
// image found (its layers bottom first, which are here already and which
// images share them), each layer's state, bytes and speed, Docker's lines,
// and how it ended. Pure, so the drawing and the tests read the same state.

import type { LayerStatus, PullLayer, PullMessage } from '../../../engine/api';

export interface PullLayerState extends PullLayer {
  status: LayerStatus | 'Queued';
  current: number;
  total: number;
  bytesPerSecond: number;
}

export interface PullState {
  phase: 'idle' | 'running' | 'pulled' | 'failed' | 'cancelled';
  /** What was asked for, as typed. */
  reference: string;
  platform: string;
  /** The image being pulled now (the last one, with pull -a). */
  image: { reference: string; platform: string; imageId: string; manifestDigest: string; layers: PullLayerState[] } | null;
  pulled: Array<{ reference: string; imageId: string; upToDate: boolean }>;
  /** Docker's lines, as `strata pull` prints them to a pipe. */
  lines: string[];
  error: { code: string; message: string } | null;
}

export const idlePull: PullState = { phase: 'idle', reference: '', platform: '', image: null, pulled: [], lines: [], error: null };

export function startPull(reference: string, platform: string): PullState {
  return { ...idlePull, phase: 'running', reference, platform };
}

export function reducePull(s: PullState, m: PullMessage): PullState {
  switch (m.type) {
    case 'status':
      return { ...s, lines: [...s.lines, `${m.id !== undefined ? `${m.id}: ` : ''}${m.text}`] };
    case 'image':
      return {
        ...s,
        image: {
          reference: m.reference,
          platform: m.platform,
          imageId: m.imageId,
          manifestDigest: m.manifestDigest,
          layers: m.layers.map((l) => ({ ...l, status: l.exists ? 'Already exists' : 'Queued', current: 0, total: l.size, bytesPerSecond: 0 })),
        },
      };
    case 'layer': {
      const lines = m.current === undefined ? [...s.lines, `${m.id}: ${m.status}`] : s.lines;
      if (!s.image) return { ...s, lines };
      const layers = s.image.layers.map((l) =>
        l.digest !== m.digest
          ? l
          : {
              ...l,
              status: m.status,
              current: m.current ?? (m.status === 'Download complete' || m.status === 'Pull complete' ? l.total : l.current),
              total: m.total ?? l.total,
              bytesPerSecond: m.bytesPerSecond ?? (m.status === 'Downloading' ? l.bytesPerSecond : 0),
            },
      );
      return { ...s, lines, image: { ...s.image, layers } };
    }
    case 'pulled':
      return { ...s, pulled: [...s.pulled, { reference: m.reference, imageId: m.imageId, upToDate: m.upToDate }] };
  }
}

export function endPull(s: PullState, end: { error?: { code: string; message: string } } | 'cancelled'): PullState {
  if (end === 'cancelled') return { ...s, phase: 'cancelled' };
  return end.error ? { ...s, phase: 'failed', error: end.error } : { ...s, phase: 'pulled' };
}

/** Where a layer stands in the drawing: in the store (here or shared), arriving, or still to come. */
export function layerStage(l: PullLayerState): 'shared' | 'done' | 'extracting' | 'downloading' | 'waiting' {
  if (l.status === 'Already exists') return 'shared';
  if (l.status === 'Pull complete') return 'done';
  if (l.status === 'Extracting') return 'extracting';
  if (l.status === 'Downloading' || l.status === 'Verifying Checksum' || l.status === 'Download complete') return 'downloading';
  return 'waiting';
}
