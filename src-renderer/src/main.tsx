/** Renderer entry: connect the store to the engine (Electron bridge or WebSocket), mount the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connectStore } from './state/store.js';
import { createTransport } from './state/transport.js';
import './styles.css';
import './theme/theme.css';
import './theme/phone.css';
import { applyTheme, savedTheme } from './theme/theme.js';

applyTheme(savedTheme());

connectStore(createTransport);

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');
createRoot(rootEl).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
