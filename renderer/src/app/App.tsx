// The window: sections on the left, the current view, and the command strip.

import { CommandStrip } from './CommandStrip';
import { NavigationProvider } from './navigation';
import { Sidebar } from './Sidebar';
import { useRoute } from './useRoute';
import { ContainersView } from '../views/containers/ContainersView';
import { ContainerView } from '../views/container/ContainerView';
import { ImagesView } from '../views/images/ImagesView';
import { ImageView } from '../views/image/ImageView';
import { BuildView } from '../views/build/BuildView';
import { NetworksView } from '../views/networks/NetworksView';
import { VolumesView } from '../views/volumes/VolumesView';
import { BuildSessionProvider } from '../data/buildSession';
import { PullSessionProvider } from '../data/pullSession';

export function App() {
  const [route, go] = useRoute();
  return (
    <NavigationProvider go={go}>
      <BuildSessionProvider>
        <PullSessionProvider>
        <div className="app">
          <a className="skip" href="#main">
            Skip to content
          </a>
          <Sidebar route={route} go={go} />
          <main className="main" id="main" tabIndex={-1}>
            {route.view === 'containers' && <ContainersView all={route.all} />}
            {route.view === 'container' && <ContainerView key={route.id} id={route.id} tab={route.tab} />}
            {route.view === 'images' && <ImagesView all={route.all} />}
            {route.view === 'image' && <ImageView key={route.id} id={route.id} tab={route.tab} layer={route.layer} />}
            {route.view === 'networks' && <NetworksView />}
            {route.view === 'volumes' && <VolumesView />}
            {route.view === 'build' && <BuildView />}
          </main>
          <CommandStrip />
        </div>
        </PullSessionProvider>
      </BuildSessionProvider>
    </NavigationProvider>
  );
}
