// Going places from anywhere in the app, and the sections of the sidebar.

import { createContext, useContext, type ReactNode } from 'react';
import type { Route } from './routes';

type Go = (r: Route, replace?: boolean) => void;
const Context = createContext<Go>(() => {});

export function NavigationProvider({ go, children }: { go: Go; children: ReactNode }) {
  return <Context.Provider value={go}>{children}</Context.Provider>;
}

export const useNavigate = () => useContext(Context);

export interface Section {
  id: 'containers' | 'images' | 'networks' | 'volumes' | 'build' | 'settings';
  label: string;
  route: Route;
  /** Which routes light this section. */
  owns: Route['view'][];
}

// The order a learner meets the ideas: containers (what runs), images (what they are made of),
// the networks they talk on and the volumes that keep their data, how an image is made;
// then how other tools reach the engine.
export const sections: readonly Section[] = [
  { id: 'containers', label: 'Containers', route: { view: 'containers', all: true }, owns: ['containers', 'container'] },
  { id: 'images', label: 'Images', route: { view: 'images', all: false }, owns: ['images', 'image'] },
  { id: 'networks', label: 'Networks', route: { view: 'networks' }, owns: ['networks'] },
  { id: 'volumes', label: 'Volumes', route: { view: 'volumes' }, owns: ['volumes'] },
  { id: 'build', label: 'Build', route: { view: 'build' }, owns: ['build'] },
  { id: 'settings', label: 'Settings', route: { view: 'settings' }, owns: ['settings'] },
];
