/**
 * Sandboxed preload: the renderer's only way out. It exposes `window.hashdeck` with send/onMessage
 * over the MessagePort the main process hands over (straight to the engine process). The renderer
 * validates every message it receives against the contract; nothing of Node is exposed.
 */
import { contextBridge, ipcRenderer } from 'electron';

type Listener = (message: unknown) => void;

let port: MessagePort | null = null;
const pending: unknown[] = [];
const listeners = new Set<Listener>();

ipcRenderer.on('engine-port', (event) => {
  port = event.ports[0] ?? null;
  if (!port) return;
  port.onmessage = (e: MessageEvent) => {
    for (const l of listeners) l(e.data);
  };
  port.start();
  for (const m of pending.splice(0)) port.postMessage(m);
});

contextBridge.exposeInMainWorld('hashdeck', {
  send(message: unknown): void {
    // Structured clone only: plain data crosses, functions do not.
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    if (port) port.postMessage(copy);
    else pending.push(copy);
  },
  onMessage(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
});
