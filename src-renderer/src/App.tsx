/**
 * Shell: top bar (connection, mode, uptime), side navigation, the current page. The dashboard is
 * in the first chunk; every other page is loaded when it is first opened (bench/dashboard.bench.ts).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useEngine } from './state/store.js';
import { BlockBanner } from './components/BlockBanner.js';
import { EmptyState } from './components/EmptyState.js';
import { formatDuration } from './lib/format.js';
import { DashboardPage } from './pages/DashboardPage.js';

const BoardsPage = lazy(() => import('./pages/BoardsPage.js').then((m) => ({ default: m.BoardsPage })));
const WorkPage = lazy(() => import('./pages/WorkPage.js').then((m) => ({ default: m.WorkPage })));
const DiagnosticsRoute = lazy(() => import('./pages/diagnostics/DiagnosticsRoute.js').then((m) => ({ default: m.DiagnosticsRoute })));
const HistoryPage = lazy(() => import('./pages/HistoryPage.js').then((m) => ({ default: m.HistoryPage })));
const LogsPage = lazy(() => import('./pages/LogsPage.js').then((m) => ({ default: m.LogsPage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage.js').then((m) => ({ default: m.SettingsPage })));
const TuningPage = lazy(() => import('./pages/tuning/TuningPage.js').then((m) => ({ default: m.TuningPage })));

export const PAGES = [
  { id: 'dashboard', label: 'Dashboard', Component: DashboardPage },
  { id: 'boards', label: 'Boards', Component: BoardsPage },
  { id: 'work', label: 'Work', Component: WorkPage },
  { id: 'diagnostics', label: 'Diagnostics', Component: DiagnosticsRoute },
  { id: 'tuning', label: 'Tuning', Component: TuningPage },
  { id: 'history', label: 'History', Component: HistoryPage },
  { id: 'logs', label: 'Logs', Component: LogsPage },
  { id: 'settings', label: 'Settings', Component: SettingsPage },
] as const;
type PageId = (typeof PAGES)[number]['id'];

/** Hash routing (#/boards): works unchanged from file:// in Electron and over HTTP. */
function pageFromHash(hash: string): PageId {
  // A page may carry a query (#/history?board=net:bitaxe): the page id is before it.
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return PAGES.find((p) => p.id === id)?.id ?? 'dashboard';
}

function useHashPage(): PageId {
  const [page, setPage] = useState<PageId>(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const on = (): void => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return page;
}

function ConnectionBadge(): React.JSX.Element {
  const connection = useEngine((s) => s.connection);
  const detail = useEngine((s) => s.connectionDetail);
  const text = connection === 'open' ? 'connected' : connection === 'connecting' ? 'connecting…' : `disconnected${detail ? ` · ${detail}` : ''}`;
  return (
    <span className={`conn conn-${connection}`} data-testid="connection">
      <span className="dot" /> {text}
    </span>
  );
}

function TopBar(): React.JSX.Element {
  const snapshot = useEngine((s) => s.snapshot);
  const version = useEngine((s) => s.engineVersion);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">#</span> HashDeck
      </div>
      <div className="topbar-info">
        {snapshot ? (
          <>
            <span className="badge">{snapshot.mode}</span>
            <span className="muted">up {formatDuration(snapshot.nowMs - snapshot.startedAtMs)}</span>
          </>
        ) : null}
        {version ? <span className="muted">v{version}</span> : null}
        <ConnectionBadge />
      </div>
    </header>
  );
}

export function App(): React.JSX.Element {
  const page = useHashPage();
  const boards = useEngine((s) => s.snapshot?.boards.length ?? null);
  const warnings = useEngine((s) => s.snapshot?.warnings.length ?? 0);
  const current = PAGES.find((p) => p.id === page) ?? PAGES[0];
  const Page = current.Component;
  return (
    <div className="app">
      <TopBar />
      <div className="body">
        <nav className="nav" aria-label="pages">
          {PAGES.map((p) => (
            <a key={p.id} href={`#/${p.id}`} className={p.id === page ? 'active' : ''} aria-current={p.id === page ? 'page' : undefined} data-testid={`nav-${p.id}`}>
              {p.label}
              {p.id === 'boards' && boards !== null ? <span className="nav-count">{boards}</span> : null}
              {p.id === 'dashboard' && warnings > 0 ? <span className="nav-count warn">{warnings}</span> : null}
            </a>
          ))}
        </nav>
        <main className="main">
          <BlockBanner />
          <h1 className="page-title">{current.label}</h1>
          <Suspense fallback={<EmptyState title="Loading…" testId="page-loading" />}>
            {/* Marked inside Suspense: the page's test id appears once its code has loaded and it has rendered. */}
            <div className="page-body" data-testid={`page-${page}`}>
              <Page />
            </div>
          </Suspense>
        </main>
      </div>
    </div>
  );
}
