// Signals and exit codes in words: what `stop` and `kill` send, and what a
// container's exit code says about how it ended. A process ended by signal N
// exits with 128 + N (137 = 128 + 9 is SIGKILL, 143 = 128 + 15 is SIGTERM),
// so the code alone tells a stop that needed its SIGKILL from one that did not.

/** Linux's numbers (x86-64 and arm64 agree on these). */
const names: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE',
  9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
  16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP', 20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU',
  23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGIO',
  30: 'SIGPWR', 31: 'SIGSYS',
};

const meanings: Record<string, string> = {
  SIGKILL: 'it cannot be caught or ignored: the kernel ends the process at once',
  SIGTERM: 'a request to end, which the process may handle; as PID 1 without a handler it is ignored',
  SIGINT: 'an interrupt, as Ctrl-C sends',
  SIGHUP: 'the terminal hung up; servers often reload on it',
  SIGQUIT: 'quit, with a core dump where enabled',
  SIGSEGV: 'the process touched memory it may not: a crash',
  SIGABRT: 'the process aborted itself',
};

/** "SIGTERM" for 15 (and for "TERM", "term", "15"); real-time signals as SIGRTMIN+n. */
export function signalName(signal: number | string): string {
  const s = String(signal).trim().toUpperCase();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return names[n] ?? (n >= 34 && n <= 64 ? `SIGRTMIN+${n - 34}` : `signal ${n}`);
  }
  return s.startsWith('SIG') ? s : `SIG${s}`;
}

/** 15 for "SIGTERM", "TERM", "term" or "15"; undefined when unknown. */
export function signalNumber(signal: string): number | undefined {
  const s = signal.trim().toUpperCase();
  if (/^\d+$/.test(s)) return Number(s);
  const name = s.startsWith('SIG') ? s : `SIG${s}`;
  const found = Object.entries(names).find(([, n]) => n === name);
  return found ? Number(found[0]) : undefined;
}

/** One line on what a signal does, for the signals this app sends. */
export function signalMeaning(signal: number | string): string | undefined {
  return meanings[signalName(signal)];
}

/** How a container's exit code reads: "137 = 128 + 9: ended by SIGKILL", "0: it succeeded". */
export function exitMeaning(code: number): string {
  if (code === 0) return '0: the command ended by itself and reported success';
  if (code === 126) return '126: the command was found but could not be executed';
  if (code === 127) return '127: the command was not found in the container';
  if (code > 128 && code <= 128 + 64) {
    const n = code - 128;
    return `${code} = 128 + ${n}: ended by ${signalName(n)}`;
  }
  return `${code}: the command’s own exit status (not 0: it reported a failure)`;
}
