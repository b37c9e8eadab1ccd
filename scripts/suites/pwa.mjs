// PWA suite for `npm test`: typechecks the app (DOM), its service worker (WebWorker) and its Node side (Vite
// plugin, dev login server, tests), builds it, and holds the first-load budget: < 200 KiB of gzipped JavaScript
// before the first screen and no inline <script> (the CSP forbids them). The browser tests run in jest
// (mobile/pwa/test/*.test.ts) against the real local stack.
export default async function pwa({ check }) {
  const tsc = (name, project) => check(name, 'npx', ['tsc', '-p', project]);
  return [
    tsc('pwa typecheck app', 'mobile/pwa/tsconfig.json'),
    tsc('pwa typecheck sw', 'mobile/pwa/tsconfig.sw.json'),
    tsc('pwa typecheck node', 'mobile/pwa/tsconfig.node.json'),
    check('pwa build', 'npm', ['run', 'build', '--silent', '-w', '@autocode/pwa']),
    check('pwa first-load size', process.execPath, ['mobile/pwa/scripts/size.mjs', 'mobile/pwa/dist']),
  ];
}
