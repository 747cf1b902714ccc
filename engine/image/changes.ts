// `--change` / `-c` for import and commit: Dockerfile instructions applied to
// an image's run config, with Docker's rules and messages. Docker joins the
// changes with newlines and parses them as one Dockerfile, so a change may
// span lines, and comments and blank lines are skipped.
//
// Docker accepts CMD ENTRYPOINT ENV EXPOSE HEALTHCHECK LABEL ONBUILD USER
// VOLUME WORKDIR here; Strata also accepts STOPSIGNAL (newer Docker builds
// take it, and `stop` reads it from the image).

import path from 'node:path';
import { parseGoDuration } from '../duration';
import { invalidArgument } from '../errors';
import { parseSignal } from '../runtime/signals';
import type { HealthConfig, RunConfig } from '../oci/config';
import {
  checkFlags,
  commandForm,
  envMap,
  expandWord,
  nameValuePairs,
  splitInstructions,
  type Instruction,
} from './instruction';

const changeCommands = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
const defaultShell = ['/bin/sh', '-c'];

/** Returns `base` with the changes applied; `base` itself is not modified. */
export function applyChanges(base: RunConfig, changes: readonly string[]): RunConfig {
  const config = structuredClone(base);
  if (changes.length === 0) return config;
  const instructions = splitInstructions(changes.join('\n'));
  if (instructions.length === 0) throw invalidArgument('file with no instructions');
  for (const ins of instructions) {
    if (!changeCommands.has(ins.keyword)) throw invalidArgument(`${ins.keyword.toLowerCase()} is not a valid change command`);
  }
  // ENTRYPOINT clears an inherited CMD, but not one these changes set.
  const state = { cmdSet: false };
  for (const ins of instructions) applyInstruction(config, ins, state);
  return config;
}

function applyInstruction(config: RunConfig, ins: Instruction, state: { cmdSet: boolean }): void {
  if (ins.keyword !== 'HEALTHCHECK') checkFlags(ins);
  // Variables expand against the environment as it was before this instruction.
  const env = envMap(config.Env);
  const expand = (w: string) => expandWord(w, env);
  const shell = config.Shell ?? defaultShell;
  switch (ins.keyword) {
    case 'CMD': {
      const form = commandForm(ins.rest);
      config.Cmd = form.json ? form.args : [...shell, ...(form.command ? [form.command] : [])];
      state.cmdSet = true;
      break;
    }
    case 'ENTRYPOINT': {
      const form = commandForm(ins.rest);
      const entrypoint = form.json ? form.args : form.command ? [...shell, form.command] : [];
      config.Entrypoint = entrypoint.length ? entrypoint : undefined;
      if (!state.cmdSet) config.Cmd = undefined;
      break;
    }
    case 'ENV':
      for (const [k, v] of nameValuePairs(ins.rest, 'ENV')) setEnv(config, expand(k), expand(v));
      break;
    case 'LABEL':
      for (const [k, v] of nameValuePairs(ins.rest, 'LABEL')) {
        config.Labels = { ...config.Labels, [expand(k)]: expand(v) };
      }
      break;
    case 'EXPOSE': {
      const specs = ins.rest.split(/\s+/).filter(Boolean);
      if (specs.length === 0) throw invalidArgument('EXPOSE requires at least one argument');
      for (const spec of specs.map(expand).filter(Boolean)) {
        for (const port of exposedPorts(spec)) config.ExposedPorts = { ...config.ExposedPorts, [port]: {} };
      }
      break;
    }
    case 'VOLUME': {
      const form = commandForm(ins.rest);
      const paths = form.json ? form.args : ins.rest.split(/\s+/).filter(Boolean);
      if (paths.length === 0) throw invalidArgument('VOLUME requires at least one argument');
      for (const p of paths.map(expand)) {
        if (p.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
        config.Volumes = { ...config.Volumes, [p]: {} };
      }
      break;
    }
    case 'WORKDIR': {
      const dir = expand(exactlyOne(ins));
      config.WorkingDir = path.posix.resolve('/', config.WorkingDir || '/', dir);
      break;
    }
    case 'USER':
      config.User = expand(exactlyOne(ins));
      break;
    case 'STOPSIGNAL': {
      const signal = expand(exactlyOne(ins));
      parseSignal(signal);
      config.StopSignal = signal;
      break;
    }
    case 'ONBUILD':
      config.OnBuild = [...(config.OnBuild ?? []), onBuildTrigger(ins)];
      break;
    case 'HEALTHCHECK':
      config.Healthcheck = healthcheck(ins);
      break;
  }
}

function exactlyOne(ins: Instruction): string {
  if (ins.rest === '') throw invalidArgument(`${ins.keyword} requires exactly one argument`);
  return ins.rest;
}

export function setEnv(config: RunConfig, key: string, value: string): void {
  const env = [...(config.Env ?? [])];
  const i = env.findIndex((kv) => kv.split('=', 1)[0] === key);
  if (i === -1) env.push(`${key}=${value}`);
  else env[i] = `${key}=${value}`;
  config.Env = env;
}

/** "80", "53/udp", "8000-8010/tcp" → the "port/proto" keys of ExposedPorts (ranges expand). */
export function exposedPorts(spec: string): string[] {
  // A published form ("8080:80") exposes its container side.
  const containerSide = spec.slice(spec.lastIndexOf(':') + 1);
  const slash = containerSide.indexOf('/');
  const ports = slash === -1 ? containerSide : containerSide.slice(0, slash);
  const proto = slash === -1 ? 'tcp' : containerSide.slice(slash + 1).toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalidArgument(`Invalid proto: ${proto}`);
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(ports);
  const first = m ? Number(m[1]) : NaN;
  const last = m?.[2] !== undefined ? Number(m[2]) : first;
  if (!m || first > 65535 || last > 65535 || last < first) throw invalidArgument(`Invalid containerPort: ${ports}`);
  const out: string[] = [];
  for (let p = first; p <= last; p++) out.push(`${p}/${proto}`);
  return out;
}

export function onBuildTrigger(ins: Instruction): string {
  if (ins.rest === '') throw invalidArgument('ONBUILD requires at least one argument');
  const trigger = ins.rest.split(/\s+/, 1)[0].toUpperCase();
  if (trigger === 'ONBUILD') throw invalidArgument('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (trigger === 'FROM' || trigger === 'MAINTAINER') throw invalidArgument(`${trigger} isn't allowed as an ONBUILD trigger`);
  // Docker records the trigger as written, flags included, keyword case kept.
  return ins.original.replace(/^\s*ONBUILD\s*/i, '');
}

export function healthcheck(ins: Instruction): HealthConfig {
  checkFlags(ins, ['interval', 'timeout', 'start-period', 'retries']);
  if (ins.rest === '') throw invalidArgument('HEALTHCHECK requires at least one argument');
  const m = /^(\S+)\s*([\s\S]*)$/.exec(ins.rest)!;
  const type = m[1].toUpperCase();
  if (type === 'NONE') {
    if (m[2] !== '') throw invalidArgument('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw invalidArgument(`Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`);
  if (m[2] === '') throw invalidArgument('Missing command after HEALTHCHECK CMD');
  const form = commandForm(m[2]);
  const check: HealthConfig = { Test: form.json ? ['CMD', ...form.args] : ['CMD-SHELL', form.command] };
  const interval = healthInterval(ins.flags, 'interval');
  const timeout = healthInterval(ins.flags, 'timeout');
  const startPeriod = healthInterval(ins.flags, 'start-period');
  if (interval) check.Interval = interval;
  if (timeout) check.Timeout = timeout;
  if (startPeriod) check.StartPeriod = startPeriod;
  const retries = ins.flags.retries;
  if (retries !== undefined && retries !== '') {
    const n = /^[-+]?\d+$/.test(retries) ? Number(retries) : NaN;
    if (Number.isNaN(n)) throw invalidArgument(`strconv.ParseInt: parsing ${JSON.stringify(retries)}: invalid syntax`);
    if (n < 1) throw invalidArgument(`--retries must be at least 1 (not ${n})`);
    check.Retries = n;
  }
  return check;
}

function healthInterval(flags: Record<string, string>, name: string): number | undefined {
  const text = flags[name];
  if (text === undefined || text === '') return undefined;
  const ns = parseGoDuration(text);
  if (ns < 0) throw invalidArgument(`Interval ${JSON.stringify(name)} cannot be negative`);
  if (ns < 1e6) throw invalidArgument(`Interval ${JSON.stringify(name)} cannot be less than 1ms`);
  return ns;
}
