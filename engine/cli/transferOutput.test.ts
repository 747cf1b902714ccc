import { describe, expect, it } from 'vitest';
import { progressText, TransferPrinter } from './transferOutput';

describe('transfer output', () => {
  it('draws moby’s progress: a 50-wide bar on terminals wider than 110 columns, sizes in go-units', () => {
    expect(progressText(32_768, 1_083_653, 120)).toBe(`[=>${' '.repeat(49)}]  32.77kB/1.084MB`);
    expect(progressText(1_083_653, 1_083_653, 120)).toBe(`[${'='.repeat(50)}>]  1.084MB/1.084MB`);
    expect(progressText(32_768, 1_083_653, 80)).toBe(' 32.77kB/1.084MB');
    expect(progressText(undefined, undefined, 120)).toBe('');
  });

  it('redraws each layer’s line in place on a terminal, byte for byte as docker 20.10 does', () => {
    let out = '';
    const p = new TransferPrinter((t) => (out += t), true, () => 120);
    p.print({ type: 'status', id: 'latest', text: 'Pulling from test/two' });
    p.print({ type: 'layer', id: '0c178cf6f84b', digest: 'sha256:0c178cf6f84b', status: 'Pulling fs layer' });
    p.print({ type: 'layer', id: '7e5a175a4889', digest: 'sha256:7e5a175a4889', status: 'Pulling fs layer' });
    p.print({ type: 'layer', id: '0c178cf6f84b', digest: 'sha256:0c178cf6f84b', status: 'Downloading', current: 32_768, total: 1_083_653 });
    p.print({ type: 'layer', id: '7e5a175a4889', digest: 'sha256:7e5a175a4889', status: 'Pull complete' });
    p.print({ type: 'status', text: 'Digest: sha256:a2284e' });
    // Recorded from `docker pull` on a 120-column pty (script(1)).
    expect(out).toBe(
      'latest: Pulling from test/two\n' +
        '\n\x1b[1A\x1b[2K\r0c178cf6f84b: Pulling fs layer \r\x1b[1B' +
        '\n\x1b[1A\x1b[2K\r7e5a175a4889: Pulling fs layer \r\x1b[1B' +
        `\x1b[2A\x1b[2K\r0c178cf6f84b: Downloading [=>${' '.repeat(49)}]  32.77kB/1.084MB\r\x1b[2B` +
        '\x1b[1A\x1b[2K\r7e5a175a4889: Pull complete \r\x1b[1B' +
        'Digest: sha256:a2284e\n',
    );
  });

  it('prints a layer’s states without byte counts, one line each, without a terminal', () => {
    let out = '';
    const p = new TransferPrinter((t) => (out += t), false, () => 80);
    p.print({ type: 'layer', id: 'abc', digest: 'sha256:abc', status: 'Pulling fs layer' });
    p.print({ type: 'layer', id: 'abc', digest: 'sha256:abc', status: 'Downloading', current: 5, total: 10 });
    p.print({ type: 'layer', id: 'abc', digest: 'sha256:abc', status: 'Pull complete' });
    expect(out).toBe('abc: Pulling fs layer\nabc: Pull complete\n');
  });
});
