// The window: sections on the left, the current view, and the command strip.

import { useState } from 'react';
import { CommandStrip } from './CommandStrip';
import { NavigationProvider } from './navigation';
import { Sidebar } from './Sidebar';
import { useRoute } from './useRoute';
import type { Route } from './routes';
import { ContainersView } from '../views/containers/ContainersView';
import { ContainerView } from '../views/container/ContainerView';
import { ImagesView } from '../views/images/ImagesView';
import { ImageView } from '../views/image/ImageView';
import { BuildView } from '../views/build/BuildView';
import { NetworksView } from '../views/networks/NetworksView';
import { VolumesView } from '../views/volumes/VolumesView';
import { SettingsView } from '../views/settings/SettingsView';
import { BuildSessionProvider } from '../data/buildSession';
import { PullSessionProvider } from '../data/pullSession';
import { KernelLogProvider } from '../data/kernelLog';
import { TourProvider, useTour } from '../tour/TourContext';
import { TourPanel } from '../tour/TourPanel';
import { TeachingBar } from '../presentation/TeachingBar';
import { KernelTimeline } from '../views/timeline/KernelTimeline';

export function App() {
  const [route, go] = useRoute();
  return (
    <NavigationProvider go={go}>
      <BuildSessionProvider>
        <PullSessionProvider>
          <KernelLogProvider>
            <TourProvider>
              <Window route={route} go={go} />
            </TourProvider>
          </KernelLogProvider>
        </PullSessionProvider>
      </BuildSessionProvider>
    </NavigationProvider>
  );
}

/** The window's parts; the teaching rail (the tour, the kernel's steps) opens on the right, beside the drawing. */
function Window({ route, go }: { route: Route; go(r: Route): void }) {
  const tour = useTour();
  const [timeline, setTimeline] = useState(false);
  // The tour's stop, kill and pause steps point at the timeline: it opens with the tour.
  const showTimeline = timeline || tour.open;
  return (
    <div className={`app ${showTimeline ? 'app-with-rail' : ''}`}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Sidebar route={route} go={go}>
        <TeachingBar timeline={showTimeline} setTimeline={setTimeline} />
      </Sidebar>
      <main className="main" id="main" tabIndex={-1}>
        {route.view === 'containers' && <ContainersView all={route.all} />}
        {route.view === 'container' && <ContainerView key={route.id} id={route.id} tab={route.tab} />}
        {route.view === 'images' && <ImagesView all={route.all} />}
        {route.view === 'image' && <ImageView key={route.id} id={route.id} tab={route.tab} layer={route.layer} />}
        {route.view === 'networks' && <NetworksView />}
        {route.view === 'volumes' && <VolumesView />}
        {route.view === 'build' && <BuildView />}
        {route.view === 'settings' && <SettingsView />}
      </main>
      <CommandStrip />
      {showTimeline && (
        <div className="rail">
          <TourPanel />
          <KernelTimeline route={route} onClose={() => (tour.open ? tour.leave() : setTimeline(false))} />
        </div>
      )}
    </div>
  );
}
