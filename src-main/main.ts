/**
 * Electron main process: stays thin. It opens the window (hardened), starts the engine in a
 * utilityProcess (serial I/O and hashing never stall the window), hands the renderer a
 * MessagePort straight to the engine, and shows tray and desktop notifications.
 *
 * Started with CLI arguments (`HashDeck mine …`, desktop/launch-mode.ts) it opens no window: it
 * runs the built CLI with its own binary as Node and exits with the CLI's code.
 */
import { app, BrowserWindow, MessageChannelMain, Menu, Notification, Tray, nativeImage, safeStorage, session, shell, utilityProcess } from 'electron';
import path from 'node:path';
import { engineMessageSchema } from '@shared/contract';
import { keychainRequestSchema } from './engine/host-protocol.js';
import { launchModeFor, userArguments } from './desktop/launch-mode.js';
import { runCliAsNode } from './desktop/run-cli-as-node.js';
import { decideSecretStorage, sessionOnlyNotice, type SecretStorageDecision } from './desktop/secret-storage.js';

let win: BrowserWindow | null = null;
let tray: Tray | null = null;
let engine: Electron.UtilityProcess | null = null;

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function startEngine(secrets: SecretStorageDecision): Electron.UtilityProcess {
  const child = utilityProcess.fork(path.join(__dirname, 'engine.js'), [], { serviceName: 'HashDeck engine', stdio: 'inherit' });
  child.postMessage({
    kind: 'start',
    dataDir: app.getPath('userData'),
    devices: process.env.HASHDECK_DEVICES?.split(',').filter(Boolean) ?? [],
    frequencyMhz: null,
    keychain: secrets.mode === 'keychain',
    sessionSecrets: secrets.mode === 'session',
  });
  child.on('message', (raw: unknown) => {
    // Pool and RPC passwords are sealed with the OS keychain before they reach the disk; without a
    // real keychain the engine keeps them out of the file and never asks for sealing.
    const keychain = keychainRequestSchema.safeParse(raw);
    if (keychain.success) {
      const { id, op, data } = keychain.data;
      if (secrets.mode !== 'keychain') {
        child.postMessage({ kind: 'keychain-reply', id, ok: false, error: 'no OS keychain' });
        return;
      }
      try {
        const out = op === 'seal' ? safeStorage.encryptString(data).toString('base64') : safeStorage.decryptString(Buffer.from(data, 'base64'));
        child.postMessage({ kind: 'keychain-reply', id, ok: true, data: out });
      } catch (err) {
        child.postMessage({ kind: 'keychain-reply', id, ok: false, error: (err as Error).message });
      }
      return;
    }
    const parsed = engineMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.kind === 'event' && msg.event.type === 'block' && msg.event.accepted && Notification.isSupported()) {
      new Notification({ title: 'Block found!', body: `Height ${msg.event.height ?? '?'} — ${msg.event.hash}` }).show();
    }
    if (msg.kind === 'event' && msg.event.type === 'warning' && msg.event.warning.level === 'error' && Notification.isSupported()) {
      new Notification({ title: 'HashDeck', body: msg.event.warning.text }).show();
    }
  });
  child.on('exit', (code) => {
    if (code !== 0 && !app.isReady()) return;
    engine = null;
  });
  return child;
}

function connectRenderer(window: BrowserWindow, child: Electron.UtilityProcess): void {
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ kind: 'port' }, [port1]);
  window.webContents.postMessage('engine-port', null, [port2]);
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'HashDeck',
    backgroundColor: '#0f1216',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  // Navigation and new windows are blocked; external links open in the browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('did-finish-load', () => {
    if (win && engine) connectRenderer(win, engine);
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, '../renderer/index.html'));
}

function createTray(): void {
  // Packaged, the icons are extraResources (electron-builder.yml); in development, the repository's.
  const iconFile = app.isPackaged ? path.join(process.resourcesPath, 'icons', 'icon.png') : path.join(__dirname, '../../resources/icons/icon.png');
  const icon = nativeImage.createFromPath(iconFile);
  tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
  tray.setToolTip('HashDeck');
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Show HashDeck', click: () => (win ? win.show() : createWindow()) }, { type: 'separator' }, { label: 'Quit', click: () => app.quit() }]));
}

function startDesktop(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(permission === 'notifications'));
    // safeStorage answers only once the app is ready (on Linux it picks its backend then).
    const secrets = decideSecretStorage(safeStorage, process.platform);
    engine = startEngine(secrets);
    createWindow();
    createTray();
    if (secrets.mode === 'session') {
      const text = sessionOnlyNotice(secrets);
      process.stderr.write(`HashDeck: ${text}\n`);
      if (Notification.isSupported()) new Notification({ title: 'HashDeck: passwords are not saved', body: text }).show();
    }
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('before-quit', () => {
    // The engine leaves boards safe (hashing stopped, core voltage off) before it exits.
    engine?.postMessage({ kind: 'shutdown' });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

const args = userArguments(process.argv, app.isPackaged);
if (launchModeFor(args) === 'cli') {
  // Headless: no window, no tray, no dock icon; the CLI runs with this binary as Node.
  app.dock?.hide();
  void runCliAsNode({ execPath: process.execPath, cliPath: path.join(__dirname, 'cli.js'), args }).then((code) => app.exit(code));
} else {
  startDesktop();
}
