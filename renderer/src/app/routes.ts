// The app's places, kept in the URL's hash so a reload, the back button and
// a link a trainer shares land on the same view (the hash works from
// file:// in Electron and from the browser host alike).

export type ImageTab = 'files' | 'merged' | 'size' | 'history' | 'inspect';
export type ContainerTab = 'files' | 'logs' | 'resources' | 'terminal' | 'inspect' | 'spec' | 'disk';

export type Route =
  | { view: 'images'; all: boolean }
  | { view: 'image'; id: string; tab: ImageTab; layer?: number }
  | { view: 'containers'; all: boolean }
  | { view: 'container'; id: string; tab: ContainerTab }
  | { view: 'networks' }
  | { view: 'volumes' }
  | { view: 'build' }
  | { view: 'settings' };

export const imageTabs: readonly ImageTab[] = ['files', 'merged', 'size', 'history', 'inspect'];
export const containerTabs: readonly ContainerTab[] = ['files', 'logs', 'resources', 'terminal', 'inspect', 'spec', 'disk'];

export const defaultRoute: Route = { view: 'containers', all: true };

export function parseRoute(hash: string): Route {
  const [pathPart, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  const all = params.get('all') !== '0';
  switch (parts[0]) {
    case 'images':
      if (parts[1]) {
        const tab = imageTabs.find((t) => t === parts[2]) ?? 'files';
        const layer = params.get('layer');
        return { view: 'image', id: parts[1], tab, ...(layer !== null && /^\d+$/.test(layer) ? { layer: Number(layer) } : {}) };
      }
      return { view: 'images', all: params.get('all') === '1' };
    case 'containers':
      if (parts[1]) return { view: 'container', id: parts[1], tab: containerTabs.find((t) => t === parts[2]) ?? 'files' };
      return { view: 'containers', all };
    case 'networks':
      return { view: 'networks' };
    case 'volumes':
      return { view: 'volumes' };
    case 'build':
      return { view: 'build' };
    case 'settings':
      return { view: 'settings' };
    default:
      return defaultRoute;
  }
}

export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'images':
      return route.all ? '#/images?all=1' : '#/images';
    case 'image':
      return `#/images/${encodeURIComponent(route.id)}/${route.tab}${route.layer !== undefined ? `?layer=${route.layer}` : ''}`;
    case 'containers':
      return route.all ? '#/containers' : '#/containers?all=0';
    case 'container':
      return `#/containers/${encodeURIComponent(route.id)}/${route.tab}`;
    case 'networks':
      return '#/networks';
    case 'volumes':
      return '#/volumes';
    case 'build':
      return '#/build';
    case 'settings':
      return '#/settings';
  }
}
