// The parsed Dockerfile understood as Docker's instructions package does:
// each node becomes a typed command with its flags checked (Docker's BFlags
// and its messages), its arguments in JSON or shell form, and the commands
// grouped into stages, each starting at a FROM. ARGs before the first FROM
// are the meta args FROM lines may use. Variables are not expanded here:
// that happens as each step runs, against the environment of that moment.

import { EngineError } from '../errors';
import type { HealthConfig } from '../oci/config';
import { healthcheck, onBuildTrigger } from '../image/changes';
import { commandForm, nameValuePairs, splitWords, type CommandForm, type Instruction } from '../image/instruction';
import { fileError, lineError, type DockerfileNode, type Heredoc, type ParsedDockerfile } from './parser';

interface Base {
  node: DockerfileNode;
}

export interface FromCommand extends Base {
  kind: 'FROM';
  image: string;
  stageName?: string;
  platform?: string;
}
export interface RunCommand extends Base {
  kind: 'RUN';
  form: CommandForm;
  heredocs: Heredoc[];
}
export interface CmdCommand extends Base {
  kind: 'CMD' | 'ENTRYPOINT';
  form: CommandForm;
}
export interface ShellCommand extends Base {
  kind: 'SHELL';
  shell: string[];
}
export interface KeyValueCommand extends Base {
  kind: 'ENV' | 'LABEL';
  /** Unexpanded words. */
  pairs: Array<[string, string]>;
  /** Taken as they are, not expanded (the LABELs `--label` adds). */
  literal?: boolean;
}
export interface ArgDeclaration {
  name: string;
  /** Unexpanded default; undefined for `ARG NAME`. */
  value?: string;
}
export interface ArgCommand extends Base {
  kind: 'ARG';
  args: ArgDeclaration[];
}
export interface WordCommand extends Base {
  kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER';
  /** The whole argument, unexpanded. */
  value: string;
}
export interface ListCommand extends Base {
  kind: 'EXPOSE' | 'VOLUME';
  items: string[];
}
export interface CopyCommand extends Base {
  kind: 'COPY' | 'ADD';
  /** Unexpanded sources, then the destination last. */
  sources: string[];
  dest: string;
  from?: string;
  chown?: string;
  chmod?: string;
}
export interface OnBuildCommand extends Base {
  kind: 'ONBUILD';
  trigger: string;
}
export interface HealthcheckCommand extends Base {
  kind: 'HEALTHCHECK';
  health: HealthConfig;
}

export type Command =
  | RunCommand
  | CmdCommand
  | ShellCommand
  | KeyValueCommand
  | ArgCommand
  | WordCommand
  | ListCommand
  | CopyCommand
  | OnBuildCommand
  | HealthcheckCommand;

export interface Stage {
  index: number;
  /** Lower case, as Docker compares them. */
  name?: string;
  from: FromCommand;
  commands: Command[];
}

export interface BuildPlan {
  escape: string;
  metaArgs: ArgCommand[];
  stages: Stage[];
  warnings: string[];
}

const stageNamePattern = /^[a-z][a-z0-9-_.]*$/;

/** Groups the commands into stages; an instruction before the first FROM other than ARG has no stage. */
export function planBuild(parsed: ParsedDockerfile): BuildPlan {
  const plan: BuildPlan = { escape: parsed.escape, metaArgs: [], stages: [], warnings: parsed.warnings };
  const names = new Set<string>();
  for (const node of parsed.nodes) {
    const cmd = parseCommand(node, parsed.escape);
    if (cmd.kind === 'FROM') {
      if (cmd.stageName !== undefined) {
        if (names.has(cmd.stageName)) throw lineError(node.startLine, `duplicate stage name ${JSON.stringify(cmd.stageName)}`);
        names.add(cmd.stageName);
      }
      plan.stages.push({ index: plan.stages.length, name: cmd.stageName, from: cmd, commands: [] });
    } else if (plan.stages.length > 0) plan.stages[plan.stages.length - 1].commands.push(cmd);
    else if (cmd.kind === 'ARG') plan.metaArgs.push(cmd);
    else throw new EngineError('InvalidArgument', 'no build stage in current context');
  }
  if (plan.stages.length === 0) throw new EngineError('InvalidArgument', 'no build stage in current context');
  return plan;
}

/** One node as a typed command; errors carry the node's line, in Docker's words. */
export function parseCommand(node: DockerfileNode, escape: string): FromCommand | Command {
  try {
    return parseNode(node, escape);
  } catch (err) {
    if (!(err instanceof EngineError) || err.message.startsWith('dockerfile parse error')) throw err;
    // Docker's parser refuses a non-string JSON array before instructions are read: no line number.
    if (err.message.startsWith('when using JSON array syntax')) throw fileError(err.message);
    throw lineError(node.startLine, err.message);
  }
}

function parseNode(node: DockerfileNode, escape: string): FromCommand | Command {
  const fail = (why: string): never => {
    throw new EngineError('InvalidArgument', why);
  };
  const k = node.keyword;
  const none = () => flags(node, {});
  switch (k) {
    case 'FROM': {
      const f = flags(node, { platform: 'string' });
      const words = whitespaceWords(node.args);
      if (!(words.length === 1 || (words.length === 3 && words[1].toLowerCase() === 'as'))) {
        fail('FROM requires either one or three arguments');
      }
      const stageName = words[2]?.toLowerCase();
      if (stageName !== undefined && !stageNamePattern.test(stageName)) {
        fail(`invalid name for build stage: ${JSON.stringify(words[2])}, name can't start with a number or contain symbols`);
      }
      return { kind: 'FROM', node, image: words[0], stageName, platform: f.platform };
    }
    case 'RUN': {
      none();
      if (node.args === '') fail('RUN requires at least one argument');
      return { kind: 'RUN', node, form: commandForm(node.args), heredocs: node.heredocs };
    }
    case 'CMD':
    case 'ENTRYPOINT':
      none();
      return { kind: k, node, form: commandForm(node.args) };
    case 'SHELL': {
      none();
      if (node.args === '') fail('SHELL requires at least one argument');
      const form = commandForm(node.args);
      if (!form.json) fail('SHELL requires the arguments to be in JSON form');
      if (form.json && form.args.length === 0) fail('SHELL requires at least one argument');
      return { kind: 'SHELL', node, shell: form.json ? form.args : [] };
    }
    case 'ENV':
    case 'LABEL':
      none();
      return { kind: k, node, pairs: nameValuePairs(node.args, k, escape) };
    case 'ARG': {
      none();
      const words = splitWords(node.args, escape);
      if (words.length === 0) fail('ARG requires at least one argument');
      return {
        kind: 'ARG',
        node,
        args: words.map((w) => {
          const eq = w.indexOf('=');
          if (eq === 0) fail('ARG names can not be blank');
          return eq === -1 ? { name: w } : { name: w.slice(0, eq), value: w.slice(eq + 1) };
        }),
      };
    }
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
    case 'MAINTAINER':
      none();
      if (node.args === '') fail(`${k} requires exactly one argument`);
      return { kind: k, node, value: node.args };
    case 'EXPOSE': {
      none();
      const items = whitespaceWords(node.args);
      if (items.length === 0) fail('EXPOSE requires at least one argument');
      return { kind: 'EXPOSE', node, items: items.sort() };
    }
    case 'VOLUME': {
      none();
      const items = listArgs(node.args);
      if (items.length === 0) fail('VOLUME requires at least one argument');
      return { kind: 'VOLUME', node, items };
    }
    case 'COPY':
    case 'ADD': {
      const f = flags(node, k === 'COPY' ? { from: 'string', chown: 'string', chmod: 'string' } : { chown: 'string', chmod: 'string' });
      const items = listArgs(node.args);
      if (items.length < 2) {
        fail(`${k} requires at least two arguments, but only one was provided. Destination could not be determined`);
      }
      return { kind: k, node, sources: items.slice(0, -1), dest: items[items.length - 1], from: f.from, chown: f.chown, chmod: f.chmod };
    }
    case 'ONBUILD':
      none();
      return { kind: 'ONBUILD', node, trigger: onBuildTrigger(asInstruction(node, {})) };
    case 'HEALTHCHECK':
      return { kind: 'HEALTHCHECK', node, health: healthcheck(asInstruction(node, flags(node, { interval: 'string', timeout: 'string', 'start-period': 'string', retries: 'string' }))) };
    default:
      return fail(`unknown instruction: ${k}`);
  }
}

type FlagType = 'string' | 'bool';

/** Docker's BFlags: every flag known, given once, strings with a value. */
function flags(node: DockerfileNode, spec: Record<string, FlagType>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of node.flags) {
    const body = word.slice(2);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const value = eq === -1 ? undefined : body.slice(eq + 1);
    const type = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (type === undefined) throw new EngineError('InvalidArgument', `Unknown flag: ${name}`);
    if (name in out) throw new EngineError('InvalidArgument', `Duplicate flag specified: ${name}`);
    if (type === 'string') {
      if (value === undefined) throw new EngineError('InvalidArgument', `Missing a value on flag: ${name}`);
      out[name] = value;
    } else {
      if (value === '') throw new EngineError('InvalidArgument', `Missing a value on flag: ${name}`);
      const lower = (value ?? 'true').toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw new EngineError('InvalidArgument', `Expecting boolean value for flag ${name}, not: ${value}`);
      out[name] = lower;
    }
  }
  return out;
}

/** What image/changes.ts's shared parsers take. */
function asInstruction(node: DockerfileNode, f: Record<string, string>): Instruction {
  return { keyword: node.keyword, flags: f, rest: node.args, original: node.original, line: node.startLine };
}

/** COPY, ADD and VOLUME: a JSON array, or words split at whitespace only (quotes do not group). */
function listArgs(args: string): string[] {
  const form = commandForm(args);
  return form.json ? form.args : whitespaceWords(args);
}

function whitespaceWords(args: string): string[] {
  return args.split(/[\t\v\f\r ]+/).filter(Boolean);
}
