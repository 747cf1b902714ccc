// The command strip's history, kept in the page's storage so a reload (or a
// crash of the page) does not lose what was run: each entry is the `strata`
// command an action equalled, when it started and ended (wall-clock ms, so
// times survive the reload) and how it ended. An action still running when
// the page went away is restored as interrupted: its outcome was not seen.

export type CommandStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface ActionEntry {
  id: number;
  command: string;
  status: CommandStatus;
  started: number; // Date.now()
  ended?: number;
  /** The result in words ("sha256:3f2a…") or the engine's error message. */
  message?: string;
}

export const storageKey = 'strata.commandHistory.v1';
/** Enough for a lesson's worth of commands; the oldest go first. */
export const keepEntries = 200;

const statuses: readonly CommandStatus[] = ['running', 'done', 'failed', 'interrupted'];

/** Entries saved by an earlier page, newest first; anything malformed is dropped, not trusted. */
export function restoreHistory(text: string | null): ActionEntry[] {
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: ActionEntry[] = [];
  for (const e of raw.slice(0, keepEntries)) {
    if (typeof e !== 'object' || e === null) continue;
    const { id, command, status, started, ended, message } = e as Record<string, unknown>;
    if (!Number.isSafeInteger(id) || typeof command !== 'string' || !statuses.includes(status as CommandStatus) || typeof started !== 'number') continue;
    out.push({
      id: id as number,
      command,
      status: status === 'running' ? 'interrupted' : (status as CommandStatus),
      started,
      ...(typeof ended === 'number' ? { ended } : {}),
      ...(typeof message === 'string' ? { message } : status === 'running' ? { message: 'the page was reloaded before it ended' } : {}),
    });
  }
  return out;
}

export function saveHistory(entries: readonly ActionEntry[]): string {
  return JSON.stringify(entries.slice(0, keepEntries));
}

/** Every command, oldest first, one per line: what "Copy all" gives a terminal or a lesson's notes. */
export function allCommands(entries: readonly ActionEntry[]): string {
  return [...entries].reverse().map((e) => e.command).join('\n') + (entries.length ? '\n' : '');
}
