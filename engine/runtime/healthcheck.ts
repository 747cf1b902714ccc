// Health checks as Docker's daemon runs them, with no daemon: the image's
// HEALTHCHECK merged with the --health-* options at create (moby's merge:
// what the user set wins field by field), Docker's defaults at start, the
// check run by the container's monitor (engine/native/shim/health.c) as an
// exec of the container's user in its working dir (what it finds is read
// back by monitorRecords.ts).

import fs from 'node:fs';
import path from 'node:path';
import type { CreateOptions } from '../api';
import { invalidArgument } from '../errors';
import type { HealthConfig } from '../oci/config';
import type { ContainerRow } from '../store/containers';
import type { RuntimeContext } from './context';
import { execProcess } from './prepare';
import { specJson } from './ulimits';

/** moby's defaults for a check that does not say. */
const defaults = { interval: 30e9, timeout: 30e9, startPeriod: 0, retries: 3 };
const minimumDuration = 1e6; // 1ms

type HealthOptions = NonNullable<CreateOptions['healthcheck']>;

/** Docker's checks of Config.Healthcheck, before the image's is merged in. */
function validate(h: HealthOptions): void {
  const atLeast = (field: string, ns: number | undefined) => {
    if (ns !== undefined && ns !== 0 && ns < minimumDuration) throw invalidArgument(`${field} in Healthcheck cannot be less than 1ms`);
  };
  atLeast('Interval', h.interval);
  atLeast('Timeout', h.timeout);
  atLeast('StartPeriod', h.startPeriod);
  if ((h.retries ?? 0) < 0) throw invalidArgument('Retries in Healthcheck cannot be negative');
}

/** The container's Healthcheck: each field the options set, else the image's; undefined when neither has one. */
export function mergeHealthcheck(opts: HealthOptions | undefined, image: HealthConfig | undefined): HealthConfig | undefined {
  if (!opts) return image;
  validate(opts);
  const merged: HealthConfig = {
    Test: opts.test && opts.test.length > 0 ? opts.test : image?.Test,
    Interval: opts.interval || image?.Interval,
    Timeout: opts.timeout || image?.Timeout,
    StartPeriod: opts.startPeriod || image?.StartPeriod,
    Retries: opts.retries || image?.Retries,
  };
  // As Docker's JSON: fields left at zero are not written.
  for (const k of Object.keys(merged) as (keyof HealthConfig)[]) if (!merged[k]) delete merged[k];
  return merged;
}

/** A check that runs: CMD or CMD-SHELL with a command. NONE runs nothing; so does a type Docker does not know (it warns). */
function activeCheck(row: ContainerRow): HealthConfig | undefined {
  const h = row.spec.Config.Healthcheck;
  const type = h?.Test?.[0];
  return (type === 'CMD' || type === 'CMD-SHELL') && h!.Test!.length > 1 ? h : undefined;
}

const processFile = (ctx: RuntimeContext, id: string) => path.join(ctx.paths.containerDir(id), 'healthcheck.json');

/**
 * Writes the check's process for the monitor and returns the monitor's
 * options for it (none without a check). CMD-SHELL runs in the image's
 * SHELL, else /bin/sh -c, as moby's getShell.
 */
export function healthMonitorArgs(ctx: RuntimeContext, row: ContainerRow): string[] {
  const h = activeCheck(row);
  if (!h) return [];
  const [type, ...rest] = h.Test!;
  const shell = ctx.images.config(row.imageId).config?.Shell ?? ['/bin/sh', '-c'];
  const cmd = type === 'CMD-SHELL' ? [...shell, ...rest] : rest;
  const file = processFile(ctx, row.id);
  fs.writeFileSync(file, specJson(execProcess(ctx, row, { cmd })));
  const ns = (v: number | undefined, fallback: number) => String(v && v > 0 ? v : fallback);
  return [
    '--health-process', file,
    '--health-interval', ns(h.Interval, defaults.interval),
    '--health-timeout', ns(h.Timeout, defaults.timeout),
    '--health-start-period', ns(h.StartPeriod, defaults.startPeriod),
    '--health-retries', ns(h.Retries, defaults.retries),
  ];
}
