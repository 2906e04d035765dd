/** Jest runs every *.spec.ts (unit) and *.e2e.ts (end-to-end) under agents/, shared/, scripts/, sink/ and test/. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: {
    // Type checking is done once by `npm run typecheck` (tsc); ts-jest only transpiles here.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testMatch: ["<rootDir>/{agents,shared,scripts,sink,test}/**/*.{spec,e2e}.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  globalSetup: "<rootDir>/test/jest.global-setup.ts",
  globalTeardown: "<rootDir>/test/jest.global-teardown.ts",
  setupFiles: ["<rootDir>/test/jest.setup-env.ts"],
  testTimeout: 120000,
  // Most end-to-end tests wait on anvil or loopback servers: two workers halve the suite's time on
  // a 2-core machine (measured: 10 min with one, 4.5 with two).
  maxWorkers: 2,
};
