// Runtime spec: the OCI config.json the launcher ran (namespaces, mounts, the
// root it pivoted into) and which runtime ran it (strata-shim, runc or crun:
// the same spec), and what it really did with it, step by step, from the
// kernel events recorded at each start.

import { useEffect, useMemo, useState } from 'react';
import type { EngineEvent } from '../../../../../engine/api';
import { CommandLine } from '../../../components/CommandLine';
import { JsonView } from '../../../components/JsonView';
import { ErrorNote, Loading } from '../../../components/Notes';
import { useClient } from '../../../data/EngineContext';
import { useQuery } from '../../../data/useQuery';

type KernelEvent = Extract<EngineEvent, { type: 'kernel' }>;

interface SpecSummary {
  root?: { path?: string; readonly?: boolean };
  process?: { args?: string[]; cwd?: string; user?: { uid?: number; gid?: number } };
  linux?: { namespaces?: Array<{ type: string }> };
  mounts?: Array<{ destination: string; type?: string }>;
  hostname?: string;
  annotations?: Record<string, string>;
}

export function SpecTab({ id, created }: { id: string; created: string }) {
  const spec = useQuery('container.spec', { id }, { refreshOn: (m) => m.type === 'container' && m.id === id && m.action === 'start' });
  const steps = useKernelSteps(id, created);
  const info = useQuery('system.info', {});
  const s = spec.data as SpecSummary | undefined;
  return (
    <div className="spec-tab">
      <section aria-labelledby="steps-title" className="kernel-steps">
        <h3 id="steps-title">What the launcher did at the last start</h3>
        {steps.length === 0 ? (
          <p className="note note-empty">Not started yet: the launcher has done nothing for this container.</p>
        ) : (
          <ol className="steps">
            {steps.map((e, i) => (
              <li key={i} className={`step step-${e.step}`}>
                <span className="step-name">{e.step.replace(/_/g, ' ')}</span>
                <span className="step-detail">
                  {Object.entries(e.detail).map(([k, v]) =>
                    // Mount options are the lesson of an overlay mount: one per line (lowerdir, upperdir, workdir).
                    k === 'data' && v.includes('dir=') ? (
                      <span key={k} className="kv kv-block">
                        <span className="k">{k}</span>
                        <span className="opts">
                          {v.split(',').map((o) => (
                            <code key={o} className="v">
                              {o}
                            </code>
                          ))}
                        </span>
                      </span>
                    ) : (
                      <span key={k} className="kv">
                        <span className="k">{k}</span> <code className="v">{v}</code>
                      </span>
                    ),
                  )}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="spec-title">
        <h3 id="spec-title">config.json</h3>
        {s && (
          <dl className="spec-summary">
            <dt>Runtime</dt>
            <dd data-testid="spec-runtime">
              {s.annotations?.['org.strata.runtime'] ? (
                <>
                  <code>{s.annotations['org.strata.runtime']}</code> ({s.annotations['org.strata.runtime.path']}), with the monitor in conmon&apos;s part
                </>
              ) : (
                <>
                  <code>strata-shim</code>, Strata&apos;s own launcher
                </>
              )}
            </dd>
            <dt>Root</dt>
            <dd>
              <code>{s.root?.path}</code> {s.root?.readonly ? '(read-only)' : '(read-write: the overlay of all layers)'}
            </dd>
            <dt>Process</dt>
            <dd>
              <code>{(s.process?.args ?? []).join(' ')}</code> in <code>{s.process?.cwd}</code> as uid {s.process?.user?.uid ?? 0}
            </dd>
            <dt>Namespaces</dt>
            <dd>{(s.linux?.namespaces ?? []).map((n) => n.type).join(', ')}</dd>
            <dt>Mounts</dt>
            <dd>{(s.mounts ?? []).map((m) => m.destination).join(', ')}</dd>
          </dl>
        )}
        {info.data && <CommandLine command={`cat ${info.data.root}/containers/${id}/config.json`} />}
        {spec.error && <ErrorNote error={spec.error} what="the runtime spec" />}
        {spec.data !== undefined ? <JsonView value={spec.data} label="runtime spec" /> : !spec.error && <Loading what="the runtime spec" />}
      </section>
    </div>
  );
}

/** The kernel steps of the container's latest start, replayed from the event log and then followed. */
function useKernelSteps(id: string, created: string): KernelEvent[] {
  const client = useClient();
  const [events, setEvents] = useState<KernelEvent[]>([]);
  useEffect(() => {
    setEvents([]);
    const since = Math.max(0, Date.parse(created) - 1000) * 1e6;
    const handle = client.open('events', { since }, {
      onMessage(e) {
        if (e.type === 'kernel' && e.id === id) setEvents((list) => [...list, e]);
      },
      onEnd() {},
    });
    return () => handle.close();
  }, [client, id, created]);
  return useMemo(() => {
    // The launcher's steps of a start share its time; later steps (signals, the exit, a pause) have their own.
    const starts = events.filter((e) => e.step === 'clone');
    if (starts.length === 0) return [];
    const last = Math.max(...starts.map((e) => e.time));
    return events.filter((e) => e.time === last);
  }, [events]);
}
