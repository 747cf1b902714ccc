// Golden outputs taken from docker 28 (CLI) against docker 20.10 (daemon) on
// this machine, with the same containers and images rebuilt as fixed data.
process.env.TZ = 'UTC';

import { describe, expect, it } from 'vitest';
import type { ContainerSummary, EngineEvent, ImageSummary } from '../../api';
import { FilterArgs } from '../../filters/args';
import { eventMatches } from '../../filters/events';
import { goJson } from '../gojson';
import { containerRow, psTable, psTitles } from './containers';
import { eventLine, eventMessage } from './events';
import { imageRows, imagesTable, imagesTitles, splitRepoTag } from './images';
import { listFormat, renderList } from './list';

const now = 1795838124 * 1000 + 400; // 2026-11-28 03:55:24.4 UTC

function container(over: Partial<ContainerSummary>): ContainerSummary {
  return {
    id: '',
    names: [],
    image: 'busybox',
    imageId: 'sha256:5fa981faac43ae2a96a72effa67c0d5a86ab53d81c606d4b1253bdeb39374b08',
    command: '',
    created: 1795838124,
    state: 'created',
    status: 'Created',
    exitCode: 0,
    labels: {},
    mounts: [],
    localVolumes: 0,
    networks: ['bridge'],
    ports: [],
    ...over,
  };
}

const containers: ContainerSummary[] = [
  container({
    id: '639e245fe6bd634d3c83a17c7a31498c032628587e098a8a633064ad2abcfa33',
    names: ['vigilant_sanderson'],
    command: 'true',
    created: 1795838113,
    state: 'exited',
    status: 'Exited (0) 10 seconds ago',
  }),
  container({
    id: 'f4723f1eb97fb2a1410ddbd1d43fe9bbf40b13b625862b668d6d05ba5e1ee859',
    names: ['web'],
    command: 'sleep 1000',
    state: 'running',
    status: 'Up Less than a second',
    labels: { c: 'd', a: 'b' },
  }),
  container({
    id: 'a0f2786998a40c8526249aa376e7d458fc7660191b0376684a2892badd2cf9d2',
    names: ['done'],
    command: "sh -c 'echo out; echo err >&2; exit 3'",
    state: 'exited',
    status: 'Exited (3) Less than a second ago',
  }),
  container({
    id: 'd58509ae8c4e7806153b21092bb5c1774ed77c507874ab3691a22fd8f872cee6',
    names: ['cr'],
    command: "echo 'hello world with a long command line'",
  }),
];

// As the engine lists them: newest first.
const listed = [containers[3], containers[2], containers[1], containers[0]];

describe('ps', () => {
  it('prints docker ps -a as docker does', () => {
    const rows = listed.map((c) => containerRow(c, true, now));
    expect(renderList(rows, listFormat(undefined, false, psTable, '{{.ID}}'), psTitles)).toBe(
      'CONTAINER ID   IMAGE     COMMAND                  CREATED                  STATUS                              PORTS     NAMES\n' +
        'd58509ae8c4e   busybox   "echo \'hello world w…"   Less than a second ago   Created                                       cr\n' +
        'a0f2786998a4   busybox   "sh -c \'echo out; ec…"   Less than a second ago   Exited (3) Less than a second ago             done\n' +
        'f4723f1eb97f   busybox   "sleep 1000"             Less than a second ago   Up Less than a second                         web\n' +
        '639e245fe6bd   busybox   "true"                   11 seconds ago           Exited (0) 10 seconds ago                     vigilant_sanderson\n',
    );
  });

  it('prints only the header when there is nothing', () => {
    expect(renderList([], psTable, psTitles)).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
  });

  it('prints short ids for -q and full ones with --no-trunc', () => {
    const rows = listed.map((c) => containerRow(c, true, now));
    expect(renderList(rows, listFormat(undefined, true, psTable, '{{.ID}}'), psTitles)).toBe(
      'd58509ae8c4e\na0f2786998a4\nf4723f1eb97f\n639e245fe6bd\n',
    );
    const full = containerRow(containers[3], false, now);
    expect(full.ID).toHaveLength(64);
    expect(full.Command).toBe('"echo \'hello world with a long command line\'"');
  });

  it('prints docker ps --format json lines', () => {
    const rows = [containers[3], containers[1]].map((c) => containerRow(c, true, now));
    expect(renderList(rows, listFormat('json', false, psTable, '{{.ID}}'), psTitles)).toBe(
      '{"Command":"\\"echo \'hello world w…\\"","CreatedAt":"2026-11-28 03:55:24 +0000 UTC","ID":"d58509ae8c4e","Image":"busybox","Labels":"","LocalVolumes":"0","Mounts":"","Names":"cr","Networks":"bridge","Ports":"","RunningFor":"Less than a second ago","Size":"0B","State":"created","Status":"Created"}\n' +
        '{"Command":"\\"sleep 1000\\"","CreatedAt":"2026-11-28 03:55:24 +0000 UTC","ID":"f4723f1eb97f","Image":"busybox","Labels":"a=b,c=d","LocalVolumes":"0","Mounts":"","Names":"web","Networks":"bridge","Ports":"","RunningFor":"Less than a second ago","Size":"0B","State":"running","Status":"Up Less than a second"}\n',
    );
  });

  it('renders a custom table and plain templates', () => {
    const rows = [containers[1]].map((c) => containerRow(c, true, now));
    expect(renderList(rows, 'table {{.Names}}\\t{{.State}}', psTitles)).toBe('NAMES     STATE\nweb       running\n');
    expect(renderList(rows, '{{.Names}}: {{.Status}}', psTitles)).toBe('web: Up Less than a second\n');
  });

  it('shows a container made from an image id by its short id', () => {
    const c = container({ image: 'sha256:5fa981faac43ae2a96a72effa67c0d5a86ab53d81c606d4b1253bdeb39374b08' });
    expect(containerRow(c, true, now).Image).toBe('5fa981faac43');
    expect(containerRow(c, false, now).Image).toBe(c.image);
  });

  it('quotes a command the way strconv.Quote does', () => {
    expect(containerRow(container({ command: 'printf "a\\tb"\n' }), false, now).Command).toBe('"printf \\"a\\\\tb\\"\\n"');
  });
});

const busybox: ImageSummary = {
  id: 'sha256:5fa981faac43ae2a96a72effa67c0d5a86ab53d81c606d4b1253bdeb39374b08',
  repoTags: ['zeta:1', 'localhost:5000/x:y', 'busybox:latest', 'alpha:2'],
  parentId: '',
  created: 1795838093,
  added: 1795838093,
  size: 1984170,
  layers: 1,
  containers: -1,
  labels: {},
};

describe('images', () => {
  it('prints a row per tag in docker images order', () => {
    const rows = imageRows([busybox], true, 1795838093 * 1000 + 75_000);
    expect(renderList(rows, imagesTable, imagesTitles)).toBe(
      'REPOSITORY         TAG       IMAGE ID       CREATED              SIZE\n' +
        'alpha              2         5fa981faac43   About a minute ago   1.98MB\n' +
        'busybox            latest    5fa981faac43   About a minute ago   1.98MB\n' +
        'zeta               1         5fa981faac43   About a minute ago   1.98MB\n' +
        'localhost:5000/x   y         5fa981faac43   About a minute ago   1.98MB\n',
    );
  });

  it('prints docker images --format json', () => {
    const rows = imageRows([{ ...busybox, repoTags: ['busybox:latest'] }], true, 1795838093 * 1000 + 75_000);
    expect(renderList(rows, 'json', imagesTitles)).toBe(
      '{"Containers":"N/A","CreatedAt":"2026-11-28 03:54:53 +0000 UTC","CreatedSince":"About a minute ago","Digest":"\\u003cnone\\u003e","ID":"5fa981faac43","Repository":"busybox","SharedSize":"N/A","Size":"1.98MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.984MB"}\n',
    );
  });

  it('shows an untagged image as <none> <none>, full id with --no-trunc', () => {
    const rows = imageRows([{ ...busybox, repoTags: [], containers: 2 }], false, 1795838093 * 1000);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Repository: '<none>', Tag: '<none>', ID: busybox.id, Containers: '2' });
  });

  it('lists newest images first', () => {
    const older = { ...busybox, id: 'sha256:' + '1'.repeat(64), repoTags: ['old:1'], created: 1 };
    const rows = imageRows([older, { ...busybox, repoTags: ['new:1'] }], true, 1795838093 * 1000);
    expect(rows.map((r) => r.Repository)).toEqual(['new', 'old']);
  });

  it('splits repository and tag after the registry port', () => {
    expect(splitRepoTag('localhost:5000/x:y')).toEqual(['localhost:5000/x', 'y']);
    expect(splitRepoTag('localhost:5000/x')).toEqual(['localhost:5000/x', '']);
  });
});

describe('events', () => {
  const start: EngineEvent = {
    type: 'container',
    action: 'start',
    id: 'f4723f1eb97fb2a1410ddbd1d43fe9bbf40b13b625862b668d6d05ba5e1ee859',
    time: 1795838185993260288, // a double: unix nanoseconds carry ~256 ns of precision
    attributes: { name: 'web2', image: 'busybox', c: 'd', a: 'b' },
  };

  it("prints docker's event line", () => {
    expect(eventLine(start)).toBe(
      '2026-11-28T03:56:25.993260288Z container start f4723f1eb97fb2a1410ddbd1d43fe9bbf40b13b625862b668d6d05ba5e1ee859 (a=b, c=d, image=busybox, name=web2)',
    );
  });

  it("prints docker's event JSON", () => {
    expect(goJson(eventMessage({ ...start, time: 1795838185993260000 }))).toBe(
      '{"status":"start","id":"f4723f1eb97fb2a1410ddbd1d43fe9bbf40b13b625862b668d6d05ba5e1ee859","from":"busybox","Type":"container","Action":"start","Actor":{"ID":"f4723f1eb97fb2a1410ddbd1d43fe9bbf40b13b625862b668d6d05ba5e1ee859","Attributes":{"a":"b","c":"d","image":"busybox","name":"web2"}},"scope":"local","time":1795838185,"timeNano":1795838185993260000}',
    );
  });

  it('prints kernel steps with their details as attributes', () => {
    const mount: EngineEvent = { type: 'kernel', step: 'mount', id: 'abc', time: 1795838185000000000, detail: { target: '/m' } };
    expect(eventLine(mount)).toBe('2026-11-28T03:56:25.000000000Z kernel mount abc (target=/m)');
    expect(eventMessage(mount)).not.toHaveProperty('status');
  });

  it("keeps the events docker's --filter keeps: one key's values are alternatives, keys all match", () => {
    const signal: EngineEvent = { type: 'kernel', step: 'signal', id: start.id, time: 1, detail: { signal: 'SIGTERM' } };
    const commit: EngineEvent = { type: 'kernel', step: 'commit', id: 'sha256:0123', time: 2, detail: {} };
    const all = [start, signal, commit];
    const filterArgs = (filters: string[]) => {
      const map: Record<string, string[]> = {};
      for (const f of filters) (map[f.slice(0, f.indexOf('='))] ??= []).push(f.slice(f.indexOf('=') + 1));
      return new FilterArgs(map);
    };
    const kept = (...filters: string[]) => all.filter((e) => eventMatches(filterArgs(filters), e));
    expect(kept()).toEqual(all);
    expect(kept('type=kernel')).toEqual([signal, commit]);
    expect(kept('type=kernel', 'event=signal')).toEqual([signal]);
    expect(kept('event=start', 'event=commit')).toEqual([start, commit]);
    expect(kept('container=web2')).toEqual([start]);
    expect(kept('container=f4723f')).toEqual([start, signal]);
  });
});
