// On disk: where every layer of this container lives on the host, as plain
// directories a person can open, and the classic experiment: find a file the
// container wrote, in its writable layer and in no image layer.

import { useState } from 'react';
import type { StackEntry } from '../../../../../engine/api';
import type { ContainerInspect } from '../../../../../engine/inspect';
import { CommandLine, CopyButton } from '../../../components/CommandLine';
import { useQuery } from '../../../data/useQuery';
import { commandLine } from '../../../model/commands';
import { layerTitle, size } from '../../../model/format';

export function DiskTab({ inspect, entries }: { inspect: ContainerInspect; entries: readonly StackEntry[] }) {
  const info = useQuery('system.info', {});
  const [name, setName] = useState('happiness.txt');
  const g = inspect.GraphDriver.Data;
  const layers = entries.filter((e) => e.kind === 'layer').reverse();
  const rows: Array<{ what: string; note: string; path: string; kind: 'rw' | 'ro' | 'other' }> = [
    { what: 'Writable layer', note: 'overlay upperdir: everything this container wrote', path: g.UpperDir, kind: 'rw' },
    ...layers.map((l) => ({
      what: `Layer ${l.layerIndex}`,
      note: `${layerTitle(l).title || 'no instruction recorded'} · ${size(l.size)}`,
      path: l.dir ?? '',
      kind: 'ro' as const,
    })),
    { what: 'Merged view', note: 'overlay mount point while it runs: the root the process sees', path: g.MergedDir, kind: 'other' },
    { what: 'Work dir', note: 'overlay’s scratch space for copy-up', path: g.WorkDir, kind: 'other' },
    { what: 'Log', note: 'json-file log, one JSON object per line', path: inspect.LogPath, kind: 'other' },
    { what: 'Hostname, hosts, resolv.conf', note: 'bind-mounted into the container', path: inspect.HostnamePath.replace(/\/hostname$/, '/'), kind: 'other' },
  ];
  return (
    <div className="disk-tab">
      <table className="table disk-table">
        <caption>Every layer is a directory on the host. Read-only layers are shared by every image and container built on them.</caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Host path</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.what + r.path} className={`disk-${r.kind}`}>
              <th scope="row">
                <span className="disk-what">{r.what}</span>
                <span className="disk-note">{r.note}</span>
              </th>
              <td>
                <span className="path-cell">
                  <code className="path">{r.path}</code>
                  {r.path && <CopyButton text={r.path} label={`Copy the path of ${r.what}`} />}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="experiment" aria-labelledby="experiment-title">
        <h3 id="experiment-title">Find a file on the host</h3>
        <p>
          A file the container created is in its writable layer’s directory, and in no image layer, even after the container stopped.
        </p>
        <label className="field field-inline">
          <span className="field-label">File name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} className="mono" />
        </label>
        {info.data && <CommandLine command={commandLine(['find', info.data.root, '-name', name || '*'])} />}
      </section>
    </div>
  );
}
