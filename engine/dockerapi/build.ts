// POST /build: the request body is the context (a tar, maybe compressed, or
// a bare Dockerfile, as `docker build - < Dockerfile` sends), built by the
// engine's classic builder. The answer is the classic builder's stream as
// docker's CLI reads it: `Step N/M : ...` (its newline a message of its
// own, as dockerd sends it), the steps' output, the `aux` image ID that
// `--iidfile` and compose take, then `Successfully built` / `tagged`.

import type { BuildMessage, BuildOptions } from '../api';
import { buildLine } from '../cli/commands/build';
import type { ApiContext } from './context';
import { badRequest, notImplemented } from './errors';
import type { Exchange } from './exchange';
import { JsonMessages } from './progress';
import { boolParam } from './query';
import type { Route } from './router';
import { withSpooledBody } from './spool';

function jsonMap(text: string | null, name: string): Record<string, string | null> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected an object');
    return v as Record<string, string | null>;
  } catch (err) {
    throw badRequest(`invalid ${name}: ${(err as Error).message}`);
  }
}

function buildOptions(ex: Exchange): BuildOptions {
  const q = ex.query;
  if (q.get('remote')) throw notImplemented('Strata builds from the request body only, not from a remote context');
  if (q.get('version') === '2') throw notImplemented('Strata has the classic builder only (builder version 1), not BuildKit');
  if (boolParam(q, 'pull')) throw notImplemented('Strata does not pull newer base images during a build (pull=1)');
  if (boolParam(q, 'squash')) throw notImplemented('Strata does not squash images');
  const tags = q.getAll('t').filter(Boolean);
  const buildArgs = jsonMap(q.get('buildargs'), 'buildargs');
  const labels = jsonMap(q.get('labels'), 'labels') as Record<string, string> | undefined;
  return {
    context: '-',
    ...(q.get('dockerfile') ? { dockerfile: q.get('dockerfile')! } : {}),
    ...(tags.length ? { tags } : {}),
    ...(buildArgs && Object.keys(buildArgs).length ? { buildArgs } : {}),
    ...(q.get('target') ? { target: q.get('target')! } : {}),
    ...(boolParam(q, 'nocache') ? { noCache: true } : {}),
    ...(labels && Object.keys(labels).length ? { labels } : {}),
    ...(boolParam(q, 'q') ? { quiet: true } : {}),
  };
}

/** One builder message as dockerd's messages. */
function messagesFor(m: BuildMessage): Record<string, unknown>[] {
  switch (m.type) {
    case 'step':
      return [{ stream: `Step ${m.step}/${m.steps} : ${m.instruction}` }, { stream: '\n' }];
    case 'error':
      return [{ errorDetail: { code: m.exitCode, message: m.message }, error: m.message }];
    case 'built':
      return [{ aux: { ID: m.id } }, ...buildLine(m, false).split(/(?<=\n)/).map((line) => ({ stream: line }))];
    default: {
      const text = buildLine(m, false);
      return text ? [{ stream: text }] : [];
    }
  }
}

async function build(ex: Exchange, ctx: ApiContext): Promise<void> {
  const opts = buildOptions(ex);
  await withSpooledBody(ex, ctx.spoolDir, (contextFile) => {
    const messages = new JsonMessages(ex);
    return new Promise<void>((resolve) => {
      let failedStep = false;
      const handle = ctx.client.open('image.build', { ...opts, contextFile }, {
        onMessage: (m) => {
          if (m.type === 'error') failedStep = true;
          // A quiet build sends only the image ID (and everything when it fails).
          if (opts.quiet && m.type === 'built') return messages.send({ stream: `${m.id}\n` });
          for (const message of messagesFor(m)) messages.send(message);
        },
        onEnd: (err) => {
          // A failed step has said so in the stream (with its exit code for the CLI).
          messages.end(failedStep ? undefined : err);
          resolve();
        },
      });
      ex.onClose(() => handle.close());
    });
  });
}

export const buildRoutes: Route[] = [
  { method: 'POST', pattern: '/build', handler: build },
  { method: 'POST', pattern: '/build/prune', handler: () => Promise.reject(notImplemented('Strata keeps no build cache apart from its images')) },
];
