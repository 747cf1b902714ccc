// The tour as data: which step is shown, what each step's last run did (the
// commands it ran, the facts it found for its text) and the keys that move
// it. Pure, so the panel is a drawing of this state and tests need no DOM.

export const stepIds = [
  'image',
  'container',
  'running',
  'happiness',
  'metadata',
  'ps',
  'stop',
  'kill',
  'pause',
  'copyup',
  'rm',
  'commit',
  'build',
  'imagesAll',
  'saveExport',
  'pull',
  'end',
] as const;
export type StepId = (typeof stepIds)[number];

export type Facts = Record<string, string>;

export interface RanCommand {
  command: string;
  status: 'running' | 'done' | 'failed';
}

export interface StepRecord {
  status: 'idle' | 'running' | 'done' | 'failed';
  commands: RanCommand[];
  facts: Facts;
  error?: string;
  /** How many times it ran: a replay counts. */
  runs: number;
}

export interface TourState {
  index: number;
  records: Record<StepId, StepRecord>;
}

export type TourEvent =
  | { type: 'go'; index: number }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'restart' }
  | { type: 'started'; id: StepId }
  | { type: 'command'; id: StepId; command: string; status: RanCommand['status'] }
  | { type: 'finished'; id: StepId; facts: Facts }
  | { type: 'failed'; id: StepId; message: string };

const idle = (): StepRecord => ({ status: 'idle', commands: [], facts: {}, runs: 0 });

export function initialTour(): TourState {
  return { index: 0, records: Object.fromEntries(stepIds.map((id) => [id, idle()])) as Record<StepId, StepRecord> };
}

const clamp = (i: number) => Math.max(0, Math.min(stepIds.length - 1, i));

export function tourReducer(state: TourState, e: TourEvent): TourState {
  const patch = (id: StepId, p: (r: StepRecord) => StepRecord) => ({ ...state, records: { ...state.records, [id]: p(state.records[id]) } });
  switch (e.type) {
    case 'go':
      return { ...state, index: clamp(e.index) };
    case 'next':
      return { ...state, index: clamp(state.index + 1) };
    case 'back':
      return { ...state, index: clamp(state.index - 1) };
    case 'restart':
      // What the last run made stays on the engine; restarting runs every step again as it is reached.
      return initialTour();
    case 'started':
      return patch(e.id, (r) => ({ status: 'running', commands: [], facts: {}, runs: r.runs + 1 }));
    case 'command':
      return patch(e.id, (r) => {
        const last = r.commands[r.commands.length - 1];
        // A command reports twice: when it starts and when it ends.
        if (last && last.command === e.command && last.status === 'running') {
          return { ...r, commands: [...r.commands.slice(0, -1), { command: e.command, status: e.status }] };
        }
        return { ...r, commands: [...r.commands, { command: e.command, status: e.status }] };
      });
    case 'finished':
      return patch(e.id, (r) => ({ ...r, status: 'done', facts: e.facts, error: undefined }));
    case 'failed':
      return patch(e.id, (r) => ({ ...r, status: 'failed', error: e.message }));
  }
}

/** A step runs when it is reached and has not run yet (or when asked again). */
export function needsRun(state: TourState): boolean {
  return state.records[stepIds[state.index]].status === 'idle';
}

export type KeyAction = 'next' | 'back' | 'replay' | 'restart' | 'leave';

/** The tour's keys, for a trainer with a clicker (Page Up/Down) or a keyboard. */
export function keyAction(key: string): KeyAction | undefined {
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
      return 'next';
    case 'ArrowLeft':
    case 'PageUp':
      return 'back';
    case 'r':
    case 'R':
      return 'replay';
    case 'Home':
      return 'restart';
    case 'Escape':
      return 'leave';
    default:
      return undefined;
  }
}
