// Connects to the engine through whichever shell hosts the page, then draws.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/base.css';
import './styles/app.css';
import './styles/views.css';
import './styles/build.css';
import { App } from './app/App';
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
  (err: Error) =>
    root.render(
      <main className="unreachable">
        <h1>Strata cannot reach its engine</h1>
        <p>{err.message}</p>
        <p>
          Open the whole address <code>strata gui --browser</code> printed in its terminal: it carries this run’s access token. Each run
          prints a new one, and an address of an earlier run stops working; start the app again with <code>npm start</code> if that
          terminal is gone.
        </p>
      </main>,
    ),
);
