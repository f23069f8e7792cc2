/**
 * Layering rules, checked in CI (`npm run lint:deps`). Layers depend downward only:
 *   src-shared (words every layer shares) ← chips, bitcoin (pure byte code)
 *   ← boards, emulator, scanner, work, stats, diagnostics, fleet, schedule, tuning, notify, mqtt ← engine ← api, cli, config, main.ts
 *   src-renderer sees only src-shared.
 */
const LOWER = '^src-main/(chips|bitcoin|boards|emulator|scanner|work|stats|diagnostics|fleet|schedule|tuning|notify|mqtt)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make layers meaningless.', from: {}, to: { circular: true } },
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      comment: 'src-shared imports nothing of the app and no Node API: the renderer uses it too.',
      from: { path: '^src-shared/' },
      to: { pathNot: ['^src-shared/', '^node_modules/zod/'] },
    },
    {
      name: 'byte-code-is-pure',
      severity: 'error',
      comment: 'chips/ and bitcoin/ are pure byte-level code: only each other, the shared words, node:crypto and bitcoinjs-lib.',
      from: { path: '^src-main/(chips|bitcoin)/' },
      to: { pathNot: ['^src-main/(chips|bitcoin)/', '^src-shared/', '^node_modules/', '^crypto$', '^node:crypto$'] },
    },
    {
      name: 'lower-layers-never-import-the-engine',
      severity: 'error',
      comment: 'work/, stats/, boards/, diagnostics/ (and everything below) never import the engine or what sits on it.',
      from: { path: LOWER },
      to: { path: ['^src-main/(engine|api|cli|config)/', '^src-main/(main|preload|cli)\\.ts$'] },
    },
    {
      name: 'boards-never-import-the-emulator',
      severity: 'error',
      comment: "The emulator may use the boards' register definitions, never the reverse.",
      from: { path: '^src-main/boards/' },
      to: { path: '^src-main/emulator/' },
    },
    {
      name: 'renderer-sees-only-shared',
      severity: 'error',
      comment: 'The sandboxed renderer imports only the shared folder and browser packages.',
      from: { path: '^src-renderer/' },
      to: { path: ['^src-main/', '^test/', '^bench/'] },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      from: { path: '^src-renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'source-never-imports-tests',
      severity: 'error',
      from: { path: '^src-' },
      to: { path: ['^test/', '^bench/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^out/', '^native/build/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
