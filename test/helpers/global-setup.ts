/**
 * Runs once before any test file: builds what the tests run (the CLI bundle and the dashboard) when
 * it is missing or stale, so that test files running side by side never build into `out/` at once.
 */
import { ensureBuilt } from './cli.js';
import { ensureRendererBuilt } from '../e2e/browser.js';

export default async function setup(): Promise<void> {
  ensureBuilt();
  await ensureRendererBuilt();
}
