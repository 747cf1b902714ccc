// `build`, as Docker's classic builder (DOCKER_BUILDKIT=0) does it: every
// stage up to the target, in order; each step after FROM commits an image
// on top of the one before — a layer for RUN, COPY, ADD and a WORKDIR that
// made its directory, an empty_layer history entry for the others — and
// leaves it as an intermediate image, so `images -a` and `history` show how
// the build stacked up. Before running, a step looks for an image made on
// the same parent by the same step (cache.ts). RUN, WORKDIR and metadata
// steps happen in an intermediate container, removed afterwards; COPY and
// ADD write a layer dir directly. Only the target stage's image is tagged,
// and only when every step succeeded.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { BuildOptions } from '../api';
import { asEngineError, EngineError, invalidArgument } from '../errors';
import { commitImage } from '../image/commit';
import type { RunConfig } from '../oci/config';
import { envMap, expandWord, expandWords } from '../image/instruction';
import { tagName } from '../oci/reference';
import type { RuntimeContext } from '../runtime/context';
import { removeContainer } from '../runtime/lifecycle';
import { nowNanos, type EventLog } from '../store/events';
import type { Store } from '../store/store';
import { BuildArgs } from './buildArgs';
import { findCachedStep } from './cache';
import { CacheFrom } from './cacheFrom';
import { openContext } from './context';
import { openScratch, type BuildScratch } from './scratch';
import { chownOwner, performCopy, planCopy } from './copy';
import { nopCommand, nopCommandString, runCommand } from './createdBy';
import { parseCommand, planBuild, type ArgCommand, type Command, type CopyCommand, type KeyValueCommand, type RunCommand, type Stage, type WordCommand } from './instructions';
import { LayerWriter, rootOwner } from './layerWriter';
import { applyMetadata, isMetadata, resolveCommand, shellOf, type Expander, type StageState } from './metadata';
import { parseDockerfile } from './parser';
import type { BuildProgress } from './progress';
import { createStepContainer, runAttached } from './runStep';
import { StepLayer } from './stepLayer';
import { ContextTree, ImageTree, type SourceTree } from './sourceTree';

const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BuilderDeps {
  runtime: RuntimeContext;
  store: Store;
  events: EventLog;
  /** <root>/build: the builds' scratch space. */
  buildRoot: string;
  /** The tar of a '-' context. */
  stdin(): NodeJS.ReadableStream;
  /** Pulls an image from its registry (FROM of an image not here, or any FROM with --pull); each progress line to `say`. */
  pull(reference: string, platform: string | undefined, say: (line: string) => void, signal: AbortSignal): Promise<void>;
}

/** A step failed: the message Docker prints after the step, and the exit code its CLI exits with. */
export class StepError extends EngineError {
  constructor(
    kind: EngineError['code'],
    message: string,
    readonly step: number,
    readonly exitCode: number,
  ) {
    super(kind, message);
  }
}

/** Exit codes as Docker's: a RUN's own, 126/127 for a command that cannot run, else 1. */
function stepError(err: unknown, step: number): StepError {
  if (err instanceof StepError) return err;
  const e = asEngineError(err);
  return new StepError(e.code, e.message, step, e.code === 'CommandNotFound' ? 127 : e.code === 'CannotExecute' ? 126 : 1);
}

export function newBuildId(): string {
  return randomBytes(32).toString('hex');
}

export async function build(deps: BuilderDeps, opts: BuildOptions, progress: BuildProgress, signal: AbortSignal): Promise<{ id: string; tags: string[] }> {
  const started = Date.now();
  // Checked before anything runs: a bad tag must not cost a build.
  const tags = (opts.tags ?? []).map(tagName);
  const scratch = openScratch(deps.buildRoot);
  try {
    const context = await openContext({ context: opts.context, dockerfile: opts.dockerfile, dockerfileText: opts.dockerfileText }, scratch, deps.stdin);
    const plan = planBuild(parseDockerfile(context.dockerfile));
    for (const text of plan.warnings) progress.emit({ type: 'warning', text });
    let stages = plan.stages;
    if (opts.target !== undefined) {
      const target = stages.findIndex((s) => s.name === opts.target!.toLowerCase());
      if (target === -1) throw invalidArgument(`failed to reach build target ${opts.target} in Dockerfile`);
      stages = stages.slice(0, target + 1);
    }
    addLabels(stages[stages.length - 1], opts.labels ?? {});

    const run = new BuildRun(deps, progress, signal, scratch, context.tree, plan.escape, opts, plan.metaArgs.length + stages.reduce((n, s) => n + 1 + s.commands.length, 0));
    const id = await run.all(plan.metaArgs, stages);
    const unused = run.args.unused();
    if (unused.length > 0) progress.emit({ type: 'warning', text: `[Warning] One or more build-args [${unused.join(' ')}] were not consumed` });
    for (const tag of tags) {
      deps.store.images.tag(tag, id);
      deps.events.record({ type: 'image', action: 'tag', id, time: nowNanos(), attributes: { name: tag } });
    }
    progress.emit({ type: 'built', id, tags, durationMs: Date.now() - started });
    return { id, tags };
  } finally {
    scratch.remove();
  }
}

/** --network: RUN's containers on the default bridge (as docker's classic builder), none, host, or a network by name. */
function stepNetwork(mode: string | undefined): string {
  return mode === undefined || mode === '' || mode === 'default' ? 'bridge' : mode;
}

/** `--label`: one LABEL per key, sorted, appended to the last stage (Docker's buildLabelOptions). */
function addLabels(stage: Stage, labels: Record<string, string>): void {
  for (const key of Object.keys(labels).sort()) {
    const original = `LABEL ${key}=${labels[key]}`;
    const node = { keyword: 'LABEL', flags: [], args: `${key}=${labels[key]}`, original, startLine: 0, endLine: 0, heredocs: [] };
    stage.commands.push({ kind: 'LABEL', node, pairs: [[key, labels[key]]], literal: true });
  }
}

interface StageResult {
  name?: string;
  imageId: string | null;
}

/** Where a stage is: its image so far, and what the next step starts from. */
interface Cursor extends StageState {
  parent: string | null;
  /** A step missed the cache: the rest of the stage is built (Docker's imageProber). */
  busted: boolean;
}

class BuildRun {
  readonly args: BuildArgs;
  private step = 0;
  private readonly cacheFrom: CacheFrom | undefined;

  private readonly done: StageResult[] = [];

  constructor(
    private readonly deps: BuilderDeps,
    private readonly progress: BuildProgress,
    private readonly signal: AbortSignal,
    private readonly scratch: BuildScratch,
    private readonly context: ContextTree,
    private readonly escape: string,
    private readonly opts: BuildOptions,
    private readonly steps: number,
  ) {
    const given = new Map<string, string | undefined>();
    for (const [k, v] of Object.entries(opts.buildArgs ?? {})) given.set(k, v ?? undefined);
    this.args = new BuildArgs(given);
    const warn = (text: string) => progress.emit({ type: 'warning', text });
    this.cacheFrom = opts.cacheFrom && opts.cacheFrom.length > 0 ? new CacheFrom(deps.store, opts.cacheFrom, warn) : undefined;
  }

  /** Every step; an error from one of them is a StepError naming it. */
  async all(metaArgs: ArgCommand[], stages: Stage[]): Promise<string> {
    try {
      return await this.runSteps(metaArgs, stages);
    } catch (err) {
      throw this.step > 0 ? stepError(err, this.step) : err;
    }
  }

  private async runSteps(metaArgs: ArgCommand[], stages: Stage[]): Promise<string> {
    for (const meta of metaArgs) {
      this.announce(meta.node.original);
      const values = this.args.metaValues();
      for (const d of meta.args) this.args.declareMeta(d.name, d.value === undefined ? undefined : expandWord(d.value, values, this.escape));
    }
    let last: StageResult | undefined;
    for (const stage of stages) {
      last = await this.stage(stage);
      this.done.push(last);
    }
    if (!last?.imageId) throw invalidArgument('No image was generated. Is your Dockerfile empty?');
    return last.imageId;
  }

  private announce(instruction: string): number {
    if (this.signal.aborted) throw invalidArgument('Build cancelled');
    this.step++;
    this.progress.emit({ type: 'step', step: this.step, steps: this.steps, instruction });
    return this.step;
  }

  private async stage(stage: Stage): Promise<StageResult> {
    this.args.startStage();
    const step = this.announce(stage.from.node.original);
    const base = expandWord(stage.from.image, this.args.metaValues(), this.escape);
    const cursor: Cursor = { parent: null, config: { Env: [defaultPath] }, cmdSet: false, author: '', busted: !!this.opts.noCache };
    // An earlier stage by name (Docker compares them case-blind), else `scratch` (exactly), else an image.
    const earlier = this.done.find((d) => d.name !== undefined && d.name === base.toLowerCase());
    cursor.parent = earlier ? earlier.imageId : base === 'scratch' ? null : await this.baseImage(base, step);
    if (cursor.parent) cursor.config = structuredClone(this.deps.store.images.getImage(cursor.parent).config.config ?? {});
    const t0 = Date.now();
    const triggers = cursor.config.OnBuild ?? [];
    if (triggers.length > 0) {
      // The FROM image's ONBUILD triggers run now, within this step; the images made have none.
      cursor.config.OnBuild = undefined;
      this.progress.emit({ type: 'triggers', step, count: triggers.length });
      for (const trigger of triggers) {
        const nodes = parseDockerfile(trigger).nodes;
        if (nodes.length !== 1) throw invalidArgument('onbuild trigger should be a single expression');
        const cmd = parseCommand(nodes[0], this.escape);
        if (cmd.kind === 'FROM') throw invalidArgument("FROM isn't allowed as an ONBUILD trigger");
        await this.dispatch(cursor, cmd, step);
      }
    }
    this.emitImage(step, cursor.parent, true, false, t0);
    for (const cmd of stage.commands) {
      const s = this.announce(cmd.node.original);
      const started = Date.now();
      const cached = await this.dispatch(cursor, cmd, s);
      this.emitImage(s, cursor.parent, false, cached, started);
    }
    return { name: stage.name, imageId: cursor.parent };
  }

  /** FROM's image: pulled first with --pull, or when it is not here (as the classic builder does); its output is the step's. */
  private async baseImage(ref: string, step: number): Promise<string> {
    const say = (text: string) => this.progress.emit({ type: 'output', step, stream: 'stdout', text: `${text}\n` });
    if (!this.opts.pull) {
      try {
        return this.deps.store.images.resolveId(ref);
      } catch (err) {
        if (!(err instanceof EngineError && err.code === 'NotFound')) throw err;
      }
    }
    await this.deps.pull(ref, this.opts.platform, say, this.signal);
    return this.deps.store.images.resolveId(ref);
  }

  /** Runs one instruction; true when its image came from the cache. */
  private async dispatch(cursor: Cursor, cmd: Command, step: number): Promise<boolean> {
    if (cmd.kind === 'RUN') return this.run(cursor, cmd, step);
    if (cmd.kind === 'COPY' || cmd.kind === 'ADD') return this.copy(cursor, cmd, step);
    if (cmd.kind === 'WORKDIR') return this.workdir(cursor, cmd, step);
    if (cmd.kind === 'ARG') return this.arg(cursor, cmd, step);
    if (!isMetadata(cmd)) throw new Error(`no dispatcher for ${cmd.kind}`);
    const next = this.nextState(cursor);
    const text = applyMetadata(cmd, next, this.expander(cursor));
    return this.commitConfig(cursor, next, nopCommand(shellOf(next.config), text), step);
  }

  private nextState(cursor: Cursor): StageState {
    return { config: structuredClone(cursor.config), cmdSet: cursor.cmdSet, author: cursor.author };
  }

  /** Words expand against the image's environment and the build args it does not override. */
  private expander(cursor: Cursor): Expander {
    const env = envMap([...(cursor.config.Env ?? []), ...this.args.inEffect(cursor.config.Env).map(([k, v]) => `${k}=${v}`)]);
    return { word: (t) => expandWord(t, env, this.escape), words: (t) => expandWords(t, env, this.escape) };
  }

  /** The cache's answer for a step, unless the stage already missed once (or --no-cache). */
  private probe(cursor: Cursor, ran: RunConfig, step: number): string | undefined {
    if (cursor.busted) return undefined;
    const hit = this.cacheFrom ? this.cacheFrom.find(cursor.parent, ran) : findCachedStep(this.deps.store, cursor.parent, ran);
    this.progress.emit({ type: 'cache', step, hit: hit !== undefined });
    if (hit === undefined) cursor.busted = true;
    return hit;
  }

  private async arg(cursor: Cursor, cmd: ArgCommand, step: number): Promise<boolean> {
    const expand = this.expander(cursor);
    const texts: string[] = [];
    for (const d of cmd.args) {
      const value = d.value === undefined ? undefined : expand.word(d.value);
      this.args.declare(d.name, value);
      texts.push(value === undefined ? d.name : `${d.name}=${value}`);
    }
    const next = this.nextState(cursor);
    return this.commitConfig(cursor, next, nopCommand(shellOf(next.config), `ARG ${texts.join(' ')}`), step);
  }

  /** A step that changes only the config: committed from a container that never runs (an empty layer, as a rule). */
  private async commitConfig(cursor: Cursor, next: StageState, cmd: string[], step: number): Promise<boolean> {
    const ran: RunConfig = { ...next.config, Cmd: cmd };
    const hit = this.probe(cursor, ran, step);
    if (hit === undefined) {
      // Without an image there is nothing to make a container from (FROM scratch): commit directly.
      const container = cursor.parent ? this.container(cursor.parent, cmd, [], step) : null;
      let failed = true;
      try {
        if (container) new StepLayer(this.upperDir(container), this.layerDirs(cursor.parent)).created(next.config);
        await this.commit(cursor, next, ran, container ? this.upperDir(container) : null);
        failed = false;
      } finally {
        if (container) await this.removeContainer(container, step, failed);
      }
    }
    Object.assign(cursor, next);
    if (hit !== undefined) cursor.parent = hit;
    return hit !== undefined;
  }

  private async workdir(cursor: Cursor, cmd: WordCommand, step: number): Promise<boolean> {
    const requested = this.expander(cursor).word(cmd.value);
    const next = this.nextState(cursor);
    next.config.WorkingDir = requested.startsWith('/') ? requested : path.posix.join('/', cursor.config.WorkingDir ?? '', requested);
    const ran: RunConfig = { ...next.config, Cmd: nopCommandString(shellOf(next.config), `WORKDIR ${next.config.WorkingDir}`) };
    const hit = this.probe(cursor, ran, step);
    if (hit === undefined) {
      // Docker makes the directory now (root's, 0755) rather than at every container start.
      const container = cursor.parent ? this.container(cursor.parent, ran.Cmd!, [], step) : null;
      let failed = true;
      try {
        const dir = container ? this.upperDir(container) : this.scratch.mkdir('layer');
        const writer = new LayerWriter(dir, this.layerDirs(cursor.parent));
        const target = writer.resolve(next.config.WorkingDir);
        if (!writer.stat(target)) writer.mkdirAll(target, rootOwner);
        await this.commit(cursor, next, ran, dir);
        failed = false;
      } finally {
        if (container) await this.removeContainer(container, step, failed);
      }
    }
    Object.assign(cursor, next);
    if (hit !== undefined) cursor.parent = hit;
    return hit !== undefined;
  }

  private async run(cursor: Cursor, cmd: RunCommand, step: number): Promise<boolean> {
    const command = runCommandLine(cmd, cursor.config);
    const recorded = runCommand(command, this.args.recorded(cursor.config.Env));
    const ran: RunConfig = { ...structuredClone(cursor.config), Cmd: recorded, Entrypoint: undefined };
    const hit = this.probe(cursor, ran, step);
    if (hit !== undefined) {
      cursor.parent = hit;
      return true;
    }
    if (!cursor.parent) throw invalidArgument('cannot RUN in a stage with no files yet (FROM scratch): there is no shell to run it');
    const env = this.args.inEffect(cursor.config.Env).map(([k, v]) => `${k}=${v}`);
    const container = this.container(cursor.parent, command, env, step);
    let failed = true;
    try {
      const layer = new StepLayer(this.upperDir(container), this.layerDirs(cursor.parent));
      layer.created(cursor.config);
      layer.starting(cursor.config);
      const code = await runAttached(this.deps.runtime, container, (stream, text) => this.progress.emit({ type: 'output', step, stream, text }), this.signal);
      if (this.signal.aborted) throw invalidArgument('Build cancelled');
      if (code !== 0) throw new StepError('InvalidArgument', `The command '${command.join(' ')}' returned a non-zero code: ${code}`, step, code);
      layer.ended();
      await this.commit(cursor, this.nextState(cursor), ran, this.upperDir(container));
      failed = false;
    } finally {
      await this.removeContainer(container, step, failed);
    }
    return false;
  }

  private async copy(cursor: Cursor, cmd: CopyCommand, step: number): Promise<boolean> {
    if (cmd.chmod !== undefined) {
      throw invalidArgument('the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled');
    }
    const expand = this.expander(cursor);
    const tree = cmd.from !== undefined ? this.stageTree(expand.word(cmd.from)) : this.context;
    const sources = cmd.sources.map((s) => expand.word(s));
    const dest = expand.word(cmd.dest);
    const chown = cmd.chown !== undefined ? expand.word(cmd.chown) : '';
    const plan = planCopy(cmd.kind, tree, sources, dest, cursor.config.WorkingDir ?? '');
    const text = `${cmd.kind} ${chown ? `--chown=${chown}` : ''}${plan.hash} in ${dest} `;
    const ran: RunConfig = { ...structuredClone(cursor.config), Cmd: nopCommandString(shellOf(cursor.config), text) };
    const hit = this.probe(cursor, ran, step);
    if (hit !== undefined) {
      cursor.parent = hit;
      return true;
    }
    const lowers = this.layerDirs(cursor.parent);
    const owner = chown ? chownOwner(chown, lowers) : rootOwner;
    // ADD may unpack archives of any size: on disk. A COPY's size is known.
    const dir = cmd.kind === 'COPY' ? this.scratch.layerDir(plan.bytes) : this.scratch.mkdir('layer');
    await performCopy(plan, new LayerWriter(dir, lowers), owner, () => this.scratch.mkdir('unpack'));
    await this.commit(cursor, this.nextState(cursor), ran, dir);
    return false;
  }

  /** `--from`: an earlier stage by name or index, else an image. */
  private stageTree(from: string): SourceTree {
    const byName = this.done.find((d) => d.name !== undefined && d.name === from.toLowerCase());
    const byIndex = /^\d+$/.test(from) ? this.done[Number(from)] : undefined;
    let id: string | null;
    if (byName ?? byIndex) id = (byName ?? byIndex)!.imageId;
    else {
      try {
        id = this.deps.store.images.resolveId(from);
      } catch (err) {
        throw invalidArgument(`invalid from flag value ${from}: ${(err as Error).message}`);
      }
    }
    const dirs = this.layerDirs(id);
    return new ImageTree(dirs.length > 0 ? dirs : [this.scratch.mkdir('empty')]);
  }

  private layerDirs(imageId: string | null): string[] {
    return imageId ? this.deps.runtime.images.layers(imageId).dirs : [];
  }

  private container(image: string, cmd: string[], env: string[], step: number): string {
    const id = createStepContainer(this.deps.runtime, image, cmd, env, {
      networkMode: stepNetwork(this.opts.networkMode),
      extraHosts: this.opts.extraHosts,
      limits: this.opts.stepLimits,
    });
    this.progress.emit({ type: 'container', step, id });
    return id;
  }

  private upperDir(container: string): string {
    return path.join(this.deps.runtime.paths.containerDir(container), 'upper');
  }

  /**
   * After a step (failed: it threw): removed unless --rm=false, or after a
   * failure unless --force-rm, as the classic builder does; a cancelled
   * build's always (it kills and removes it).
   */
  private async removeContainer(id: string, step: number, failed = false): Promise<void> {
    if (!this.signal.aborted && (failed ? !this.opts.forceRm : this.opts.rm === false)) return;
    await removeContainer(this.deps.runtime, id, true);
    this.progress.emit({ type: 'removed', step, id });
  }

  private async commit(cursor: Cursor, next: StageState, ran: RunConfig, layerDir: string | null): Promise<void> {
    const result = await commitImage(this.deps.store, {
      parent: cursor.parent,
      layerDir,
      config: next.config,
      createdBy: (ran.Cmd ?? []).join(' '),
      author: next.author || undefined,
      containerConfig: ran,
    });
    cursor.parent = result.id;
  }

  /** A step's end: its image ('' for FROM scratch), with the size of the layer it added. */
  private emitImage(step: number, id: string | null, base: boolean, cached: boolean, t0: number): void {
    const image = id ? this.deps.store.images.getImage(id) : null;
    const emptyLayer = base || !image || image.config.history?.at(-1)?.empty_layer === true;
    const size = emptyLayer || !image?.topLayer ? 0 : (this.deps.store.layers.get(image.topLayer)?.size ?? 0);
    this.progress.emit({ type: 'image', step, id: id ?? '', base, cached, emptyLayer, size, durationMs: Date.now() - t0 });
  }
}

/**
 * What RUN runs: the exec form as given, the shell form through the stage's
 * shell. With heredocs, a RUN that is only `<<EOF` runs the heredoc as the
 * script; otherwise the shell gets the line and the heredocs after it.
 */
function runCommandLine(cmd: RunCommand, config: RunConfig): string[] {
  if (cmd.heredocs.length === 0 || cmd.form.json) return resolveCommand(cmd.form, config);
  const only = /^<<-?(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1$/.exec(cmd.form.command.trim());
  if (only && cmd.heredocs.length === 1) return [...shellOf(config), cmd.heredocs[0].content];
  const text = [cmd.form.command, ...cmd.heredocs.map((h) => `${h.content}${h.name}`)].join('\n');
  return [...shellOf(config), text];
}
