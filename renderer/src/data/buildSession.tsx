// The build the app shows: the one it runs, or ran last, or one started
// elsewhere (`strata build` in a terminal) that the engine's `build` events
// report. It lives above the views: closing the `image.build` stream cancels
// the build, so it must not close because the person went to look at
// another view meanwhile; the sidebar shows its progress from anywhere.
// Messages are folded by model/buildProgress.ts once per frame (a chatty
// RUN sends a line per message); each step's image brings its stack
// (`image.stack`), so the drawing grows a slab at a time. A build the app
// runs is logged in the command strip as the `strata build` it equals.

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { BuildMessage, ImageStack } from '../../../engine/api';
import type { ErrorPayload } from '../../../engine/errors';
import { buildCommand, buildOptions, type BuildForm } from '../model/buildCommand';
import { commandLine } from '../model/commands';
import { endBuild, idleBuild, messageFromEvent, reduceBuild, startBuild, type BuildProgress } from '../model/buildProgress';
import { shortId } from '../model/format';
import { useActions } from './actions';
import { useClient, useEvents, type AppClient } from './EngineContext';

export interface BuildSession {
  progress: BuildProgress;
  /** Who started it: this app, or someone else (its progress comes from the engine's events; it cannot be cancelled from here). */
  origin: 'app' | 'elsewhere';
  /** The `strata build` line of the build shown (for one started elsewhere, as far as its events tell). */
  command: string | null;
  /** The tags it was asked to set, and the image each named before it began (null: none). */
  tagsBefore: Record<string, string | null>;
  /** The stack of the newest step's image (null: FROM scratch, nothing yet), and which step that is. */
  stack: { step: number; stack: ImageStack | null } | null;
  start(form: BuildForm): void;
  /** Closes the stream: the engine stops the build and removes the running step's container. */
  cancel(): void;
}

const Context = createContext<BuildSession | null>(null);

/** Where each tag points now (image id, or null), before a build that may move it. */
async function tagTargets(client: AppClient, tags: readonly string[]): Promise<Record<string, string | null>> {
  const before: Record<string, string | null> = {};
  if (tags.length === 0) return before;
  const images = await client.call('image.list', { all: false }).catch(() => []);
  for (const tag of tags) {
    const full = tag.lastIndexOf(':') > tag.lastIndexOf('/') ? tag : `${tag}:latest`;
    before[tag] = images.find((i) => i.repoTags.includes(full))?.id ?? null;
  }
  return before;
}

/** The command a build started elsewhere equals, from what its start event names. */
function commandFromStart(a: Record<string, string>): string {
  const words = ['strata', 'build'];
  for (const tag of a.tags ? a.tags.split(',') : []) words.push('-t', tag);
  if (a.dockerfile) words.push('-f', a.dockerfile);
  return commandLine([...words, a.context || '-']);
}

export function BuildSessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { run } = useActions();
  const [progress, setProgress] = useState<BuildProgress>(idleBuild);
  const [origin, setOrigin] = useState<BuildSession['origin']>('app');
  const [command, setCommand] = useState<string | null>(null);
  const [tagsBefore, setTagsBefore] = useState<Record<string, string | null>>({});
  const [stack, setStack] = useState<BuildSession['stack']>(null);
  /** This app's running build, whose stream is open. */
  const live = useRef<{ close(): void; cancelled: boolean } | null>(null);
  /** The id of a build started elsewhere that the events are followed for. */
  const watched = useRef<string | null>(null);
  const stackSeq = useRef({ asked: 0, shown: 0 });
  const pending = useRef<{ queued: Array<{ m: BuildMessage; at: number }>; frame: number }>({ queued: [], frame: 0 });

  const showStack = useCallback(
    (step: number, id: string) => {
      const seq = ++stackSeq.current.asked;
      const show = (s: ImageStack | null) => {
        // Answers can cross: an older step's stack never replaces a newer one's.
        if (seq < stackSeq.current.shown) return;
        stackSeq.current.shown = seq;
        setStack({ step, stack: s });
      };
      if (!id) show(null);
      else client.call('image.stack', { ref: id }).then(show, () => undefined);
    },
    [client],
  );

  const flush = useCallback(() => {
    const p = pending.current;
    if (p.frame) cancelAnimationFrame(p.frame);
    p.frame = 0;
    const batch = p.queued;
    p.queued = [];
    if (batch.length > 0) setProgress((s) => batch.reduce((acc, q) => reduceBuild(acc, q.m, q.at), s));
  }, []);

  /** One more message of the build shown. */
  const feed = useCallback(
    (m: BuildMessage) => {
      const p = pending.current;
      p.queued.push({ m, at: performance.now() });
      if (!p.frame) p.frame = requestAnimationFrame(flush);
      if (m.type === 'image') showStack(m.step, m.id);
    },
    [flush, showStack],
  );

  /** A new build to show: everything of the last one goes. */
  const begin = useCallback(
    (from: BuildSession['origin'], line: string) => {
      flush();
      setOrigin(from);
      setCommand(line);
      setProgress(startBuild(performance.now()));
      setStack(null);
      setTagsBefore({});
      stackSeq.current = { asked: 0, shown: 0 };
    },
    [flush],
  );

  const finish = useCallback(
    (end: { error?: ErrorPayload } | 'cancelled') => {
      flush();
      setProgress((p) => endBuild(p, end, performance.now()));
    },
    [flush],
  );

  const start = useCallback(
    (form: BuildForm) => {
      if (live.current) return;
      const options = buildOptions(form);
      const line = buildCommand(form);
      const handle = { close: () => {}, cancelled: false };
      live.current = handle;
      watched.current = null;
      begin('app', line);
      const done = (end: { error?: ErrorPayload } | 'cancelled') => {
        finish(end);
        if (live.current === handle) live.current = null;
      };

      void run(line, async () => {
        // Where the tags pointed before, so a failed build can show that none of them moved.
        const before = await tagTargets(client, options.tags ?? []);
        setTagsBefore(before);
        return new Promise<{ id: string; tags: string[] }>((resolve, reject) => {
          if (handle.cancelled) {
            done('cancelled');
            return reject(new Error('Build cancelled'));
          }
          let built: { id: string; tags: string[] } | undefined;
          const stream = client.open('image.build', options, {
            onMessage(m) {
              feed(m);
              if (m.type === 'built') built = { id: m.id, tags: m.tags };
            },
            onEnd(error) {
              done({ error });
              if (error || !built) reject(new Error(error?.message ?? 'the build ended without an image'));
              else resolve(built);
            },
          });
          handle.close = () => {
            stream.close();
            done('cancelled');
            reject(new Error('Build cancelled'));
          };
        });
      }, (b) => [shortId(b.id), ...b.tags].join(' · '));
    },
    [client, run, begin, finish, feed],
  );

  const cancel = useCallback(() => {
    const handle = live.current;
    if (!handle) return;
    handle.cancelled = true;
    handle.close();
  }, []);

  useEvents((m) => {
    // A cancelled build's stream is closed, so its last messages never come: the engine's
    // events still say when the step's container is gone.
    if (m.type === 'container' && m.action === 'destroy') {
      setProgress((p) => {
        const s = p.steps.find((x) => x.container === m.id && !x.containerRemoved);
        return s ? reduceBuild(p, { type: 'removed', step: s.step, id: m.id }, performance.now()) : p;
      });
      return;
    }
    // While this app builds, its own stream tells it everything (its events are the same messages).
    if (m.type !== 'build' || live.current) return;
    if (m.action === 'start') {
      watched.current = m.id;
      begin('elsewhere', commandFromStart(m.attributes));
      const tags = m.attributes.tags ? m.attributes.tags.split(',') : [];
      void tagTargets(client, tags).then((before) => watched.current === m.id && setTagsBefore(before));
      return;
    }
    if (m.id !== watched.current) return;
    const message = messageFromEvent(m.action, m.attributes);
    if (!message) return;
    feed(message);
    if (message.type === 'built' || message.type === 'error') {
      watched.current = null;
      finish(message.type === 'built' ? {} : { error: { name: 'EngineError', code: 'InvalidArgument', message: message.message } });
    }
  });

  const value = useMemo(
    () => ({ progress, origin, command, tagsBefore, stack, start, cancel }),
    [progress, origin, command, tagsBefore, stack, start, cancel],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useBuildSession(): BuildSession {
  const v = useContext(Context);
  if (!v) throw new Error('BuildSessionProvider is missing');
  return v;
}
