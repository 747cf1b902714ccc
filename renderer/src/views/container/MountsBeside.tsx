// A container's mounts, drawn beside its layers: each volume, bind or tmpfs
// covers a path of the merged view, and what is written under that path goes
// to the mount's own directory (or memory), not into the writable layer. So
// `diff` does not list it, `commit` does not take it, and a volume outlives
// the container. One of the most misunderstood things about containers.

import type { MountJson } from '../../../../engine/inspect';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';

const source = (m: MountJson) => {
  if (m.Type === 'tmpfs') return 'memory (tmpfs): gone when the container stops';
  if (m.Type === 'volume') return `volume ${m.Name && /^[0-9a-f]{64}$/.test(m.Name) ? `${m.Name.slice(0, 12)} (anonymous)` : m.Name}`;
  return 'a directory of the host';
};

export function MountsBeside({ mounts }: { mounts: readonly MountJson[] }) {
  const go = useNavigate();
  if (mounts.length === 0) {
    return (
      <aside className="mounts mounts-none" aria-label="Mounts">
        <p className="mounts-title">No mounts</p>
        <p className="mounts-note">Every write lands in the writable layer: `diff` lists it and `commit` takes it.</p>
      </aside>
    );
  }
  return (
    <aside className="mounts" aria-label="Mounts beside the layers" data-testid="mounts">
      <p className="mounts-title">Mounted over the layers</p>
      <ul className="mounts-list">
        {mounts.map((m) => (
          <li key={m.Destination} className={`mount mount-${m.Type}`} data-testid={`mount-${m.Destination}`}>
            <span className="mount-path">
              <code>{m.Destination}</code> {!m.RW && <span className="chip">read-only</span>}
            </span>
            <span className="mount-arrow" aria-hidden="true">
              ⇢
            </span>
            <span className="mount-source">
              {m.Type === 'volume' ? (
                <a
                  href={formatRoute({ view: 'volumes' })}
                  onClick={(e) => {
                    e.preventDefault();
                    go({ view: 'volumes' });
                  }}
                >
                  {source(m)}
                </a>
              ) : (
                source(m)
              )}
              {m.Type !== 'tmpfs' && (
                <>
                  <br />
                  <code className="mount-host">{m.Source}</code>
                </>
              )}
            </span>
            <span className="mount-rule">
              writes under <code>{m.Destination}</code> go here — <strong>not</strong> into the writable layer: not in <code>diff</code>, not in <code>commit</code>
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
