// The container flags for restart policies and health checks, shared by run
// and create, with the docker CLI's names, checks and words.

import type { CreateOptions } from '../../api';
import type { FlagSpec, Flags } from '../flags';
import { OptionError } from '../session';

export const policyFlags: readonly FlagSpec[] = [
  { name: 'health-cmd', type: 'string', help: 'Command to run to check health' },
  { name: 'health-interval', type: 'duration', help: 'Time between running the check (ms|s|m|h) (default 0s)' },
  { name: 'health-retries', type: 'int', help: 'Consecutive failures needed to report unhealthy' },
  {
    name: 'health-start-period',
    type: 'duration',
    help: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)',
  },
  { name: 'health-timeout', type: 'duration', help: 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' },
  { name: 'no-healthcheck', type: 'bool', help: 'Disable any container-specified HEALTHCHECK' },
  { name: 'restart', type: 'string', help: 'Restart policy to apply when a container exits', default: 'no' },
];

/** --restart "NAME[:MAX]", as the docker CLI splits it (the engine checks the rest). */
function restartPolicy(text: string): NonNullable<CreateOptions['restartPolicy']> {
  const parts = text.split(':');
  if (parts.length > 2 || (parts.length === 2 && !/^[+-]?\d+$/.test(parts[1]))) {
    throw new OptionError('invalid restart policy format: maximum retry count must be an integer');
  }
  return parts.length === 2 ? { name: parts[0], maximumRetryCount: Number(parts[1]) } : { name: parts[0] };
}

/** The options the policy flags give (none when none was used). */
export function policyOptions(flags: Flags): Pick<CreateOptions, 'restartPolicy' | 'healthcheck'> {
  const out: Pick<CreateOptions, 'restartPolicy' | 'healthcheck'> = {};
  const restart = flags.string('restart');
  if (restart) {
    out.restartPolicy = restartPolicy(restart);
    if (out.restartPolicy.name !== 'no' && flags.bool('rm')) throw new OptionError('conflicting options: cannot specify both --restart and --rm');
  }
  const ns = (name: string) => flags.int(name) ?? 0;
  const cmd = flags.string('health-cmd') ?? '';
  const [interval, timeout, startPeriod, retries] = [ns('health-interval'), ns('health-timeout'), ns('health-start-period'), flags.int('health-retries') ?? 0];
  const some = cmd !== '' || interval !== 0 || timeout !== 0 || startPeriod !== 0 || retries !== 0;
  if (flags.bool('no-healthcheck')) {
    if (some) throw new OptionError('--no-healthcheck conflicts with --health-* options');
    out.healthcheck = { test: ['NONE'] };
  } else if (some) {
    for (const [name, v] of [['interval', interval], ['timeout', timeout], ['retries', retries], ['start-period', startPeriod]] as const) {
      if (v < 0) throw new OptionError(`--health-${name} cannot be negative`);
    }
    out.healthcheck = { ...(cmd ? { test: ['CMD-SHELL', cmd] } : {}), interval, timeout, startPeriod, retries };
  }
  return out;
}
