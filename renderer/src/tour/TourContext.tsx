// The tour while it is open: which step is shown, running each step when it
// is first reached (or again on request) through the app's engine client and
// action log, and asking before it removes what an earlier tour left.

import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { useClient } from '../data/EngineContext';
import { useActions } from '../data/actions';
import { useNavigate } from '../app/navigation';
import type { Route } from '../app/routes';
import { initialTour, needsRun, stepIds, tourReducer, type TourState } from './model';
import { freeRun, removeTourObjects, steps, tourNames, tourObjects, type TourNames, type TourObject, type TourWork } from './steps';
import { tourText, type TourText } from './text';

/** Before the first step runs: what an earlier tour left, and whether the person said what to do with it. */
export type Consent = { phase: 'checking' } | { phase: 'ask'; objects: TourObject[] } | { phase: 'settled'; kept: boolean };

interface TourValue {
  open: boolean;
  state: TourState;
  text: TourText;
  names: TourNames;
  consent: Consent;
  registry: string;
  start(): void;
  leave(): void;
  next(): void;
  back(): void;
  restart(): void;
  replay(): void;
  setRegistry(address: string): void;
  answer(remove: boolean): void;
}

const Context = createContext<TourValue | null>(null);

/** How long a step that changes what is on screen waits, once it is shown, before it acts. */
const lookFirstMs = 1000;

/** `strata gui --tour` opens the app at http://127.0.0.1:PORT/?tour#token=…. */
const askedAtStart = () => new URLSearchParams(location.search).has('tour');

export function TourProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const actions = useActions();
  const go = useNavigate();
  const [open, setOpen] = useState(askedAtStart);
  const [state, dispatch] = useReducer(tourReducer, undefined, initialTour);
  const [consent, setConsent] = useState<Consent>({ phase: 'checking' });
  const [run, setRun] = useState(1);
  const [registry, setRegistryState] = useState('');
  // Read when a step runs, so "use this registry, then run the step again" sees the new address at once.
  const registryNow = useRef('');
  const [root, setRoot] = useState('');
  const text = useMemo(() => tourText(navigator.language), []);
  const names = useMemo(() => tourNames(run), [run]);
  const busy = useRef(false);

  const work = useCallback(
    (id: (typeof stepIds)[number]): TourWork => ({
      client,
      root,
      registry: registryNow.current,
      names,
      async run(command, job) {
        dispatch({ type: 'command', id, command, status: 'running' });
        let failure: unknown;
        const result = await actions.run(command, async () => {
          try {
            return await job();
          } catch (e) {
            failure = e;
            throw e;
          }
        });
        dispatch({ type: 'command', id, command, status: failure === undefined ? 'done' : 'failed' });
        if (failure !== undefined) throw failure;
        return result as Awaited<ReturnType<typeof job>>;
      },
    }),
    [client, root, names, actions],
  );

  // On opening: where the engine keeps its files, and what an earlier tour left.
  useEffect(() => {
    if (!open || consent.phase !== 'checking') return;
    let live = true;
    Promise.all([client.call('system.info', {}), tourObjects(client)]).then(
      ([info, objects]) => {
        if (!live) return;
        setRoot(info.root);
        setConsent(objects.length ? { phase: 'ask', objects } : { phase: 'settled', kept: false });
      },
      () => live && setConsent({ phase: 'settled', kept: false }),
    );
    return () => {
      live = false;
    };
  }, [open, consent.phase, client]);

  // A view opened on a name reads it afresh: a step may have removed and made again what it shows.
  const show = useCallback(
    async (route: Route) => {
      go({ view: 'containers', all: true }, true);
      await new Promise((r) => setTimeout(r, 0));
      go(route, true);
    },
    [go],
  );

  const runStep = useCallback(
    async (index: number) => {
      if (busy.current) return;
      busy.current = true;
      const step = steps[index];
      // The learner watches the drawing while the step changes it; a view of what the step makes opens once it exists.
      if (step.watch) {
        await show(step.route(names));
        // A moment to look before it changes; the view's live streams (a container's writes) open meanwhile.
        await new Promise((r) => setTimeout(r, lookFirstMs));
      }
      dispatch({ type: 'started', id: step.id });
      try {
        const facts = await step.act(work(step.id));
        if (!step.watch) await show(step.route(names));
        dispatch({ type: 'finished', id: step.id, facts });
      } catch (e) {
        dispatch({ type: 'failed', id: step.id, message: e instanceof Error ? e.message : String(e) });
      } finally {
        busy.current = false;
      }
    },
    [show, names, work],
  );

  // Reaching a step runs it the first time, and shows its view after; only reaching it does (not a new callback).
  useEffect(() => {
    if (!open || consent.phase !== 'settled' || !root) return;
    if (needsRun(state)) void runStep(state.index);
    else go(steps[state.index].route(names));
  }, [open, consent.phase, root, state.index]); // eslint-disable-line react-hooks/exhaustive-deps

  const answer = useCallback(
    async (remove: boolean) => {
      if (consent.phase !== 'ask') return;
      if (remove) {
        try {
          await removeTourObjects(work('image'), consent.objects);
        } catch {
          // What could not be removed is kept; the run's names then step around it.
        }
        const left = await tourObjects(client).catch(() => consent.objects);
        setRun(freeRun(left));
        setConsent({ phase: 'settled', kept: false });
      } else {
        setRun(freeRun(consent.objects));
        setConsent({ phase: 'settled', kept: true });
      }
    },
    [consent, client, work],
  );

  const value: TourValue = {
    open,
    state,
    text,
    names,
    consent,
    registry,
    start: () => {
      setConsent({ phase: 'checking' });
      dispatch({ type: 'restart' });
      setOpen(true);
    },
    leave: () => setOpen(false),
    next: () => !busy.current && dispatch({ type: 'next' }),
    back: () => !busy.current && dispatch({ type: 'back' }),
    restart: () => !busy.current && dispatch({ type: 'restart' }),
    replay: () => void runStep(state.index),
    setRegistry: (address) => {
      registryNow.current = address.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
      setRegistryState(registryNow.current);
    },
    answer: (remove) => void answer(remove),
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useTour(): TourValue {
  const v = useContext(Context);
  if (!v) throw new Error('TourProvider is missing');
  return v;
}
