// Jest runs in native ESM mode (node --experimental-vm-modules) because Octokit and @actions/* are ESM-only.
// TypeScript is stripped by SWC; type checking is a separate `tsc` step in `npm test`.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  // Source files import siblings as `./x.js` (NodeNext); map them back to the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/\\.autocode/', '/\\.tools/'],
  modulePathIgnorePatterns: ['<rootDir>/\\.autocode/', '<rootDir>/actions/.*/dist/'],
  testTimeout: 60000,
  maxWorkers: 2,
};
