// What Docker's daemon does to a step container's writable layer, so each
// step's layer holds what Docker's would: a missing working directory is
// made when the container is created (SetupWorkingDirectory), and a missing
// mount point for each VOLUME when it starts (root's, 0755). A RUN writes
// into a volume, not into the image: what it left under a volume's path is
// dropped from the layer, keeping only the mount point — the classic
// "RUN after VOLUME changes nothing there".

import type { RunConfig } from '../oci/config';
import { LayerWriter, rootOwner } from './layerWriter';

export class StepLayer {
  private readonly writer: LayerWriter;
  /** Each volume's path in the image, and whether the image had it before the step. */
  private readonly volumes: Array<{ parts: string[]; existed: boolean }> = [];

  constructor(upperDir: string, imageDirs: readonly string[]) {
    this.writer = new LayerWriter(upperDir, imageDirs);
  }

  /** At create: the working directory. */
  created(config: RunConfig): void {
    if (!config.WorkingDir) return;
    const parts = this.writer.resolve(config.WorkingDir);
    if (!this.writer.stat(parts)) this.writer.mkdirAll(parts, rootOwner);
  }

  /** At start: the volumes' mount points. */
  starting(config: RunConfig): void {
    for (const volume of Object.keys(config.Volumes ?? {})) {
      const parts = this.writer.resolve(volume);
      const existed = this.writer.stat(parts) !== null;
      if (!existed) this.writer.mkdirAll(parts, rootOwner);
      this.volumes.push({ parts, existed });
    }
  }

  /** After the run: what went into the volumes is not the layer's. */
  ended(): void {
    for (const { parts, existed } of this.volumes) {
      if (parts.length === 0) continue;
      this.writer.clear(parts);
      if (!existed) this.writer.mkdirAll(parts, rootOwner);
    }
  }
}
