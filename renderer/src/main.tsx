// Connects to the engine through whichever shell hosts the page, then draws.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/base.css';
import './styles/app.css';
import './styles/views.css';
import './styles/build.css';
import './styles/registry.css';
import './styles/resources.css';
import './styles/network.css';
import './styles/settings.css';
import './styles/teaching.css';
import { App } from './app/App';
import { NoEngine } from './app/NoEngine';
import { ActionsProvider } from './data/actions';
import { EngineProvider } from './data/EngineContext';
import { connectEngine } from './transport';

const root = createRoot(document.getElementById('root')!);

connectEngine().then(
  (client) =>
    root.render(
      <StrictMode>
        <EngineProvider client={client}>
          <ActionsProvider>
            <App />
          </ActionsProvider>
        </EngineProvider>
      </StrictMode>,
    ),
  (err: Error) => root.render(<NoEngine error={err} />),
);
