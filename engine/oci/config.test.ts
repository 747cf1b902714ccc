import { describe, expect, it } from 'vitest';
import { formatTimestamp, hostArchitecture, parseImageConfig, parseTimestamp, serializeConfig, type OciImageConfig } from './config';

const diffId = 'sha256:14c7ffc0f492502f809eaeafd0b021d9ba9dfdcead6a7f2fa964ad1e3ab95f92';

describe('serializeConfig', () => {
  it('gives the same bytes for the same config, whatever the key order', () => {
    const a: OciImageConfig = {
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-02T03:04:05.5Z',
      config: { Labels: { b: '2', a: '1', '10': 'x', '9': 'y' }, Cmd: ['sh'], Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ comment: 'c', created: '2024-01-02T03:04:05.5Z', created_by: 'x' }],
    };
    const b: OciImageConfig = {
      rootfs: { diff_ids: [diffId], type: 'layers' },
      history: [{ created_by: 'x', created: '2024-01-02T03:04:05.5Z', comment: 'c' }],
      config: { Env: ['PATH=/bin'], Cmd: ['sh'], Labels: { '9': 'y', a: '1', '10': 'x', b: '2' } },
      os: 'linux',
      created: '2024-01-02T03:04:05.5Z',
      architecture: 'amd64',
    };
    expect(serializeConfig(a).equals(serializeConfig(b))).toBe(true);
    // Top level sorted as Docker writes it, nested objects in OCI field order, maps sorted.
    expect(serializeConfig(a).toString()).toBe(
      '{"architecture":"amd64","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":{"10":"x","9":"y","a":"1","b":"2"}},' +
        '"created":"2024-01-02T03:04:05.5Z","history":[{"created":"2024-01-02T03:04:05.5Z","created_by":"x","comment":"c"}],' +
        `"os":"linux","rootfs":{"type":"layers","diff_ids":["${diffId}"]}}`,
    );
  });

  it('leaves out undefined fields and round-trips through parseImageConfig', () => {
    const c: OciImageConfig = { architecture: 'arm64', os: 'linux', author: undefined, rootfs: { type: 'layers', diff_ids: [] } };
    const bytes = serializeConfig(c);
    expect(bytes.toString()).toBe('{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    expect(parseImageConfig(bytes)).toEqual({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  });
});

describe('parseImageConfig', () => {
  it.each([
    ['not json', /invalid image config: /],
    ['[]', /not a JSON object/],
    ['{"os":"linux"}', /rootfs.type must be "layers"/],
    ['{"rootfs":{"type":"layers","diff_ids":["sha256:x"]}}', /diff_ids must be sha256 digests/],
    ['{"rootfs":{"type":"layers","diff_ids":[]},"created":"yesterday"}', /not RFC 3339/],
    ['{"rootfs":{"type":"layers","diff_ids":[]},"history":[{}]}', /too many non-empty layers in History section/],
    ['{"rootfs":{"type":"layers","diff_ids":[]},"config":[1]}', /config must be an object/],
  ])('refuses %s', (text, message) => {
    expect(() => parseImageConfig(text)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringMatching(message) }));
  });

  it('accepts empty layers in history and fewer history entries than layers (old images)', () => {
    const text = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [diffId, diffId] },
      history: [{ created_by: 'a' }, { created_by: 'CMD', empty_layer: true }],
    });
    expect(parseImageConfig(text).history).toHaveLength(2);
  });
});

describe('timestamps', () => {
  it('formats as Go RFC3339Nano and parses to unix nanoseconds', () => {
    expect(formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5, 500))).toBe('2024-01-02T03:04:05.5Z');
    expect(formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5))).toBe('2024-01-02T03:04:05Z');
    expect(parseTimestamp('2026-11-28T03:56:10.989070398Z')).toBe(1795838170989070398n);
    expect(parseTimestamp('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(parseTimestamp('1970-01-01T00:00:01.5Z')).toBe(1_500_000_000n);
  });
});

describe('hostArchitecture', () => {
  it('names this machine as Go does', () => {
    const known: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386' };
    expect(hostArchitecture()).toBe(known[process.arch] ?? process.arch);
  });
});
