// `strata stats`: each container as the docker CLI's stats formatter sees
// it: CPU % and MEM % with two decimals, memory in binary units (MiB),
// network and block I/O in decimal ones with three digits (kB, MB).

import type { ContainerStats } from '../../api';
import { bytesSize, humanSizeWithPrecision } from '../../humanize';
import { truncateId } from './list';

export const statsTable = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

export const statsTitles: Record<string, string> = {
  Container: 'CONTAINER',
  Name: 'NAME',
  ID: 'CONTAINER ID',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
};

/** The fields of `docker stats --format '{{json .}}'`, keys in Go's (sorted) order. */
export interface StatsRow {
  BlockIO: string;
  CPUPerc: string;
  /** What the user named it by, or its full id when stats lists them all. */
  Container: string;
  ID: string;
  MemPerc: string;
  MemUsage: string;
  Name: string;
  NetIO: string;
  PIDs: string;
}

const percent = (v: number) => `${v.toFixed(2)}%`;
const pair = (a: number, b: number) => `${humanSizeWithPrecision(a, 3)} / ${humanSizeWithPrecision(b, 3)}`;

export function statsRow(s: ContainerStats, container: string, trunc: boolean): StatsRow {
  return {
    BlockIO: pair(s.blockRead, s.blockWrite),
    CPUPerc: percent(s.cpuPercent),
    Container: container,
    ID: trunc ? truncateId(s.id) : s.id,
    MemPerc: percent(s.memoryPercent),
    MemUsage: `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    Name: s.name || '--',
    NetIO: pair(s.netRx, s.netTx),
    PIDs: String(s.pids),
  };
}
