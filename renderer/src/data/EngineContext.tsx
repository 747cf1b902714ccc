// The engine, its event hub and the action log, handed to every view.

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { EngineClient } from '../../../engine/rpc/client';
import type { StreamName } from '../../../engine/api';
import { EventHub, type HubMessage, type HubStatus, type StatusSource } from './eventHub';

/** What the app needs of its shell's client (transport/connect.ts's AppEngine has all of it). */
export interface AppClient extends EngineClient, StatusSource {
  readonly shell?: 'electron' | 'browser';
  saveStream?(name: StreamName, arg: unknown, suggestedName: string): Promise<{ kind: 'saved'; path: string } | { kind: 'cancelled' } | { kind: 'download' }>;
}

interface EngineValue {
  client: AppClient;
  hub: EventHub;
}

const Context = createContext<EngineValue | null>(null);

export function EngineProvider({ client, children }: { client: AppClient; children: ReactNode }) {
  const [value] = useState<EngineValue>(() => ({ client, hub: new EventHub(client) }));
  useEffect(() => {
    value.hub.start();
    return () => value.hub.stop();
  }, [value]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

function useEngineValue(): EngineValue {
  const v = useContext(Context);
  if (!v) throw new Error('EngineProvider is missing');
  return v;
}

export const useClient = () => useEngineValue().client;
export const useHub = () => useEngineValue().hub;

/** Calls `listener` for every engine event (and resync) while the component is mounted. */
export function useEvents(listener: (m: HubMessage) => void): void {
  const hub = useHub();
  const [ref] = useState(() => ({ current: listener }));
  ref.current = listener;
  useEffect(() => hub.subscribe((m) => ref.current(m)), [hub, ref]);
}

export function useHubStatus(): HubStatus {
  const hub = useHub();
  const [status, setStatus] = useState(hub.status);
  useEffect(() => {
    setStatus(hub.status);
    return hub.onStatus(setStatus);
  }, [hub]);
  return status;
}
