// Terminal: an interactive shell inside the running container (`strata exec
// -it`), drawn by xterm.js. Keys go in as stdin, the pty's output comes back,
// and the terminal's size follows the panel so full-screen programs fit.

import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { ContainerState, StdioInput } from '../../../../../engine/api';
import type { StreamHandle } from '../../../../../engine/rpc/client';
import { ActionButton } from '../../../components/ActionButton';
import { CommandLine } from '../../../components/CommandLine';
import { useClient } from '../../../data/EngineContext';
import { commands } from '../../../model/commands';
import { refusal } from '../../../../../engine/api';
import { shortId } from '../../../model/format';

const shell = ['sh'];

export function TerminalTab({ id, state }: { id: string; state: ContainerState }) {
  const why = refusal('exec', state, shortId(id));
  const [session, setSession] = useState(1);
  const [exit, setExit] = useState<string | null>(null);
  if (why) {
    return (
      <div className="terminal-off">
        <p className="note">
          {why}. A shell runs as one more process in the container’s process space, so the container must be running.
        </p>
        <CommandLine command={commands.exec(id, shell)} />
      </div>
    );
  }
  return (
    <div className="terminal-tab">
      <div className="terminal-bar">
        <CommandLine command={commands.exec(id, shell)} />
        {exit && <span className="terminal-exit">{exit}</span>}
        <ActionButton
          label="New shell"
          size="small"
          command={commands.exec(id, shell)}
          onPress={() => {
            setExit(null);
            setSession((n) => n + 1);
          }}
        />
      </div>
      <Xterm key={session} id={id} onExit={setExit} />
    </div>
  );
}

function Xterm({ id, onExit }: { id: string; onExit(text: string): void }) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const term = new Terminal({
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace',
      fontSize: 17,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 5000,
      theme: { background: '#1f2430', foreground: '#e9e6dc', cursor: '#f2c46d', selectionBackground: '#44506a' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    const encoder = new TextEncoder();
    let handle: StreamHandle<StdioInput> | undefined;
    handle = client.open('container.exec', { id, cmd: shell, tty: true, stdin: true, rows: term.rows, cols: term.cols }, {
      onMessage(m) {
        if ('exit' in m) onExit(`shell exited with code ${m.exit}`);
        else term.write(m.data instanceof Uint8Array ? m.data : new Uint8Array(m.data as ArrayLike<number>));
      },
      onEnd(error) {
        if (error) {
          term.write(`\r\n\x1b[31m${error.message}\x1b[0m\r\n`);
          onExit(error.message);
        }
        handle = undefined;
      },
    });
    const typed = term.onData((d) => handle?.send({ data: encoder.encode(d) }));
    const resized = term.onResize(({ rows, cols }) => handle?.send({ resize: { rows, cols } }));
    const ro = new ResizeObserver(() => fit.fit());
    ro.observe(el);
    term.focus();
    return () => {
      ro.disconnect();
      typed.dispose();
      resized.dispose();
      // The shell ends with its input, as it would when a terminal closes.
      handle?.send({ closeStdin: true });
      handle?.close();
      term.dispose();
    };
  }, [client, id, onExit]);
  return <div ref={host} className="xterm-host" aria-label="Shell in the container" data-testid="terminal" />;
}
