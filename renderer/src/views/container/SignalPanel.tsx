// What a stop or kill is doing, in the words of the kernel: the signal sent
// to the container's processes, a stop's grace period counting down to its
// SIGKILL, and the exit code read as 128 + the signal that ended it. Without
// this a stop sits on "running" for ten seconds and then looks like a kill.

import { useEffect, useReducer } from 'react';
import { exitMeaning, signalMeaning, signalName } from '../../model/signals';
import { graceLeft, type StopWatch } from '../../model/stopWatch';

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const sentence = (s: string | undefined) => (s ? `${s[0].toUpperCase()}${s.slice(1)}.` : '');
const signal = (n: number) => `${signalName(n)} (${n})`;

export function SignalPanel({ watch }: { watch: StopWatch }) {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const counting = graceLeft(watch, Date.now()) !== undefined;
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [counting]);
  const left = graceLeft(watch, Date.now());
  const grace = watch.graceMs !== undefined ? Math.round(watch.graceMs / 1000) : undefined;
  const ended = watch.exit;
  return (
    <section className={`signals signals-${watch.kind}`} aria-labelledby="signals-title" data-testid="signal-panel">
      <h3 id="signals-title">{watch.kind === 'stop' ? 'Stop' : 'Kill'}: what the processes were sent</h3>
      <ol className="signal-steps">
        <li>
          <span className="signal-time">{clock(watch.sentAt)}</span>
          <span>
            Sent <strong>{signal(watch.signal)}</strong> to the container’s processes
            {watch.kind === 'stop' && grace !== undefined ? `, with a grace period of ${grace} s` : watch.signal === 9 ? ', at once: no grace period' : ''}.{' '}
            <span className="signal-why">{sentence(signalMeaning(watch.signal))}</span>
          </span>
        </li>
        {left !== undefined && !ended && (
          <li className="signal-countdown" data-testid="grace-countdown">
            <span className="signal-time">grace</span>
            <span>
              {left > 0 ? (
                <>
                  <strong>SIGKILL in {Math.ceil(left / 1000)} s</strong> unless the processes exit first
                </>
              ) : (
                <strong>Grace period over: SIGKILL follows</strong>
              )}
              <meter className="grace-meter" min={0} max={watch.graceMs} value={left} aria-label="Grace period left" />
            </span>
          </li>
        )}
        {watch.killedAt !== undefined && (
          <li>
            <span className="signal-time">{clock(watch.killedAt)}</span>
            <span>
              The grace period ran out: sent <strong>{signal(9)}</strong>. <span className="signal-why">{sentence(signalMeaning(9))}</span>
            </span>
          </li>
        )}
        {ended && (
          <li data-testid="exit-meaning">
            <span className="signal-time">{clock(ended.at)}</span>
            <span>
              Exited: <strong>{exitMeaning(ended.code)}</strong>
              {watch.kind === 'stop' && watch.killedAt === undefined && ended.code !== 137 ? ', within the grace period' : ''}.
            </span>
          </li>
        )}
      </ol>
    </section>
  );
}
