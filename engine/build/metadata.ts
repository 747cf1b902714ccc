// Steps that change only the image's config: each applies its instruction to
// the stage's run config with Docker's rules and returns the text its
// history entry records after `#(nop) `. Words are expanded against the
// environment as it was before the step (ENV X=1 Y=$X sees the old X).

import { invalidArgument } from '../errors';
import type { RunConfig } from '../oci/config';
import { exposedPorts, setEnv } from '../image/changes';
import { parseSignal } from '../runtime/signals';
import { goList, goQuotedList, healthcheckText } from './createdBy';
import type { CmdCommand, Command, HealthcheckCommand, KeyValueCommand, ListCommand, OnBuildCommand, ShellCommand, WordCommand } from './instructions';

export const defaultShell = ['/bin/sh', '-c'];

/** What a stage carries from step to step besides the config. */
export interface StageState {
  config: RunConfig;
  /** CMD was given in this stage: a later ENTRYPOINT keeps it. */
  cmdSet: boolean;
  /** MAINTAINER: the author of the images the stage commits. */
  author: string;
}

export interface Expander {
  word(text: string): string;
  /** Docker's ProcessWords, for EXPOSE: a variable may bring several words. */
  words(text: string): string[];
}

export type MetadataCommand =
  | CmdCommand
  | ShellCommand
  | KeyValueCommand
  | (WordCommand & { kind: 'USER' | 'STOPSIGNAL' | 'MAINTAINER' })
  | ListCommand
  | OnBuildCommand
  | HealthcheckCommand;

export function isMetadata(cmd: Command): cmd is MetadataCommand {
  return !['RUN', 'COPY', 'ADD', 'ARG', 'WORKDIR'].includes(cmd.kind);
}

export function shellOf(config: RunConfig): string[] {
  return config.Shell && config.Shell.length > 0 ? config.Shell : defaultShell;
}

/** A CMD/ENTRYPOINT/RUN argument as the command it runs: the shell form through the stage's shell. */
export function resolveCommand(form: CmdCommand['form'], config: RunConfig): string[] {
  return form.json ? form.args : [...shellOf(config), form.command];
}

/** Applies the step to `state.config`; returns its history text ("CMD [\"a\"]"). */
export function applyMetadata(cmd: MetadataCommand, state: StageState, expand: Expander): string {
  const config = state.config;
  switch (cmd.kind) {
    case 'ENV':
    case 'LABEL': {
      const pairs = cmd.literal ? cmd.pairs : cmd.pairs.map(([k, v]) => [expand.word(k), expand.word(v)] as const);
      for (const [k, v] of pairs) {
        if (cmd.kind === 'ENV') setEnv(config, k, v);
        else config.Labels = { ...config.Labels, [k]: v };
      }
      return `${cmd.kind} ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'CMD': {
      const command = resolveCommand(cmd.form, config);
      config.Cmd = command;
      if (cmd.form.json ? cmd.form.args.length > 0 : cmd.form.command !== '') state.cmdSet = true;
      return `CMD ${goQuotedList(command)}`;
    }
    case 'ENTRYPOINT': {
      const empty = cmd.form.json ? cmd.form.args.length === 0 : cmd.form.command.trim() === '';
      config.Entrypoint = empty ? undefined : resolveCommand(cmd.form, config);
      if (!state.cmdSet) config.Cmd = undefined;
      return `ENTRYPOINT ${goQuotedList(config.Entrypoint)}`;
    }
    case 'SHELL':
      config.Shell = cmd.shell;
      return `SHELL ${goList(cmd.shell)}`;
    case 'USER':
      config.User = expand.word(cmd.value);
      return `USER ${config.User}`;
    case 'STOPSIGNAL': {
      const signal = expand.word(cmd.value);
      parseSignal(signal);
      config.StopSignal = signal;
      return `STOPSIGNAL ${signal}`;
    }
    case 'MAINTAINER':
      state.author = cmd.value;
      return `MAINTAINER ${cmd.value}`;
    case 'EXPOSE': {
      const ports = cmd.items.flatMap((p) => expand.words(p));
      for (const spec of ports) for (const port of exposedPorts(spec)) config.ExposedPorts = { ...config.ExposedPorts, [port]: {} };
      return `EXPOSE ${ports.join(' ')}`;
    }
    case 'VOLUME': {
      const volumes = cmd.items.map((v) => expand.word(v));
      for (const v of volumes) {
        if (v.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
        config.Volumes = { ...config.Volumes, [v]: {} };
      }
      return `VOLUME ${goList(volumes)}`;
    }
    case 'ONBUILD':
      config.OnBuild = [...(config.OnBuild ?? []), cmd.trigger];
      return `ONBUILD ${cmd.trigger}`;
    case 'HEALTHCHECK':
      config.Healthcheck = cmd.health;
      return healthcheckText(cmd.health);
  }
}
