// /containers/{id}/exec and /exec/{id}/(start|resize|json): an exec
// instance made first, then run as the engine's exec stream over the
// hijacked connection (framed unless it has a tty), or detached.

import { refusal, type ContainerState } from '../api';
import { conflict, notFound } from '../errors';
import type { ApiContext } from './context';
import { DetachScanner, defaultDetachKeys, parseDetachKeys } from './detachKeys';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import type { ExecConfig, ExecInstance } from './execBoard';
import { outputBytes, rawStream } from './framing';
import { pace } from './pacing';
import { intParam } from './query';
import type { Route } from './router';

type Json = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

async function create(ex: Exchange, ctx: ApiContext): Promise<void> {
  ex.requireJsonContentType();
  const body = ((await ex.json()) ?? {}) as Json;
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  // dockerd names a paused container as the client did, one that does not run by its id.
  const refused = refusal('exec', c.State.Status as ContainerState, c.State.Paused ? ex.params.id : c.Id);
  if (refused) throw conflict(refused);
  const cmd = strings(body.Cmd);
  if (cmd.length === 0) throw badRequest('No exec command specified');
  if (body.Privileged === true) throw notImplemented('Strata does not support privileged exec processes');
  const config: ExecConfig = {
    AttachStdin: body.AttachStdin === true,
    AttachStdout: body.AttachStdout === true,
    AttachStderr: body.AttachStderr === true,
    Tty: body.Tty === true,
    DetachKeys: typeof body.DetachKeys === 'string' ? body.DetachKeys : '',
    Cmd: cmd,
    Env: strings(body.Env),
    WorkingDir: typeof body.WorkingDir === 'string' ? body.WorkingDir : '',
    User: typeof body.User === 'string' ? body.User : '',
    Privileged: false,
  };
  if (config.DetachKeys) parseDetachKeys(config.DetachKeys);
  const x = ctx.execs.create(c.Id, config);
  ex.sendJson(201, { Id: x.id });
}

function find(ctx: ApiContext, id: string): ExecInstance {
  const x = ctx.execs.get(id);
  if (!x) throw notFound(`No such exec instance: ${id}`);
  return x;
}

async function start(ex: Exchange, ctx: ApiContext): Promise<void> {
  const body = ((await ex.json()) ?? {}) as Json;
  const x = find(ctx, ex.params.id);
  if (x.started) throw conflict(`Error: Exec command ${x.id} has already run`);
  const detach = body.Detach === true;
  x.started = true;
  x.running = true;
  if (detach) return startDetached(ex, ctx, x);
  const c = x.config;
  const out = ex.hijack(rawStream);
  const scanner = new DetachScanner(parseDetachKeys(c.DetachKeys || defaultDetachKeys));
  await new Promise<void>((resolve) => {
    const handle = ctx.client.open('container.exec', ctx.execs.options(x, false), {
      onMessage: (m) => {
        if ('exit' in m) x.exitCode = m.exit;
        else if ((m.stream === 'stdout' && c.AttachStdout) || (m.stream === 'stderr' && c.AttachStderr)) pace(out, out.write(outputBytes(c.Tty, m.stream, m.data)), handle);
      },
      onEnd: (err) => {
        x.running = false;
        x.handle = undefined;
        // An exec that failed to start says why on its stdout and ends 126, as dockerd's does.
        if (err && x.exitCode === null) {
          x.exitCode = 126;
          out.write(outputBytes(c.Tty, 'stdout', Buffer.from(`${err.message}\r\n`)));
        }
        out.end();
        resolve();
      },
    });
    x.handle = handle;
    out.onInput(
      (chunk) => {
        if (!c.AttachStdin) return;
        const { pass, detach: detached } = scanner.scan(chunk);
        if (pass.length) handle.send({ data: pass });
        if (detached) out.end();
      },
      // Without a terminal the client's half-close closes the process's stdin; with one, a detach must not end it.
      () => c.AttachStdin && !c.Tty && handle.send({ closeStdin: true }),
    );
    // The client going away leaves the process running, as docker exec's does when detached.
    ex.onClose(() => handle.close());
  });
}

function startDetached(ex: Exchange, ctx: ApiContext, x: ExecInstance): Promise<void> {
  return new Promise((resolve) => {
    ctx.client.open('container.exec', ctx.execs.options(x, true), {
      onMessage: () => undefined,
      onEnd: (err) => {
        if (err) {
          x.running = false;
          x.exitCode = 126;
          ex.fail(err);
        } else ex.send(200);
        resolve();
      },
    });
  });
}

async function resize(ex: Exchange, ctx: ApiContext): Promise<void> {
  const x = find(ctx, ex.params.id);
  const rows = intParam(ex.query, 'h');
  const cols = intParam(ex.query, 'w');
  if (rows === undefined || cols === undefined) throw badRequest('strconv.Atoi: parsing "": invalid syntax');
  if (x.handle) x.handle.send({ resize: { rows, cols } });
  else x.size = { rows, cols };
  ex.send(200);
}

async function inspect(ex: Exchange, ctx: ApiContext): Promise<void> {
  const x = find(ctx, ex.params.id);
  const [entrypoint, ...args] = x.config.Cmd;
  ex.sendJson(200, {
    ID: x.id,
    Running: x.running,
    ExitCode: x.exitCode,
    ProcessConfig: { tty: x.config.Tty, entrypoint, arguments: args, privileged: false, ...(x.config.User ? { user: x.config.User } : {}) },
    OpenStdin: x.config.AttachStdin,
    OpenStderr: x.config.AttachStderr,
    OpenStdout: x.config.AttachStdout,
    CanRemove: false,
    ContainerID: x.containerId,
    DetachKeys: '',
    Pid: 0,
  });
}

export const execRoutes: Route[] = [
  { method: 'POST', pattern: '/containers/{id}/exec', handler: create },
  { method: 'POST', pattern: '/exec/{id}/start', handler: start },
  { method: 'POST', pattern: '/exec/{id}/resize', handler: resize },
  { method: 'GET', pattern: '/exec/{id}/json', handler: inspect },
];
