// One layer's own files: what it adds (A), modifies (M) and deletes (D)
// compared with the layers below it, filterable, in a virtualized list.

import { useMemo, useState } from 'react';
import type { LayerFile } from '../../../engine/api';
import { size } from '../model/format';
import { ChangeMark, FileIcon } from './Marks';
import { VirtualList } from './VirtualList';

const rowHeight = 32;
const kindOrder = ['A', 'M', 'D'] as const;
const kindWord = { A: 'added', M: 'modified', D: 'deleted' } as const;

export function LayerFilesList({ files, label, height }: { files: readonly LayerFile[]; label: string; height?: number }) {
  const [query, setQuery] = useState('');
  const [kinds, setKinds] = useState<Set<'A' | 'M' | 'D'>>(() => new Set(kindOrder));
  const [active, setActive] = useState(0);
  const counts = useMemo(() => {
    const c = { A: 0, M: 0, D: 0 };
    for (const f of files) c[f.kind]++;
    return c;
  }, [files]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return files.filter((f) => kinds.has(f.kind) && (!q || f.path.toLowerCase().includes(q)));
  }, [files, query, kinds]);
  return (
    <div className="layer-files">
      <div className="files-bar">
        <input type="search" className="search" placeholder="Filter paths" aria-label="Filter paths" value={query} onChange={(e) => setQuery(e.target.value)} />
        <div role="group" aria-label="Show changes" className="kind-toggles">
          {kindOrder.map((k) => (
            <button
              key={k}
              type="button"
              className="kind-toggle"
              aria-pressed={kinds.has(k)}
              onClick={() =>
                setKinds((s) => {
                  const n = new Set(s);
                  if (n.has(k)) n.delete(k);
                  else n.add(k);
                  return n;
                })
              }
            >
              <ChangeMark kind={k} /> {counts[k]} {kindWord[k]}
            </button>
          ))}
        </div>
      </div>
      {shown.length === 0 ? (
        <p className="note note-empty">{files.length === 0 ? 'This layer holds no files.' : 'Nothing matches.'}</p>
      ) : (
        <VirtualList
          count={shown.length}
          rowHeight={rowHeight}
          role="listbox"
          label={label}
          active={active}
          onActiveChange={setActive}
          height={height}
          className="flist"
          renderRow={(i, p) => {
            const f = shown[i];
            return (
              <div key={f.path} id={p.id} role="option" aria-selected={p.active} className={`frow ${p.active ? 'is-active' : ''} frow-${f.kind}`} style={{ height: rowHeight }} onClick={() => setActive(i)}>
                <ChangeMark kind={f.kind} />
                <FileIcon type={f.type} />
                <span className={`fpath ${f.kind === 'D' ? 'is-deleted' : ''}`}>{f.path}</span>
                {f.type === 'whiteout' && <span className="ftag">whiteout</span>}
                {f.type === 'opaque' && <span className="ftag">opaque dir</span>}
                <span className="fsize">{f.type === 'file' ? size(f.size) : ''}</span>
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
