// Edge API suite: typecheck the Worker against workers-types (no Node types), typecheck its Node-side code
// (tests, dev issuer) separately, and bundle it with esbuild as wrangler would.
export default async ({ check }) => [
  check('edge typecheck', 'npx', ['tsc', '-p', 'edge-api/tsconfig.json']),
  check('edge typecheck (node)', 'npx', ['tsc', '-p', 'edge-api/tsconfig.node.json']),
  check('edge bundle', process.execPath, ['edge-api/build.mjs', 'edge-api/dist/worker.js']),
];
