/** Jest runs every *.spec.ts (unit) and *.e2e.ts (end-to-end) under agents/, shared/, scripts/, sink/ and test/. */
/** @type {import('jest').Config} */
module.exports = {
  // VIGIL_TEST_LEAKS=1: after each test file, list what it left open (handles, child processes),
  // to find the file behind "a worker process has failed to exit gracefully" (test/jest.leak-env.ts).
  testEnvironment: process.env.VIGIL_TEST_LEAKS ? "<rootDir>/test/jest.leak-env.ts" : "node",
  transform: {
    // Type checking is done once by `npm run typecheck` (tsc); ts-jest only transpiles here.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testMatch: ["<rootDir>/{agents,shared,scripts,sink,test}/**/*.{spec,e2e}.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  globalSetup: "<rootDir>/test/jest.global-setup.ts",
  globalTeardown: "<rootDir>/test/jest.global-teardown.ts",
  setupFiles: ["<rootDir>/test/jest.setup-env.ts"],
  // Per test (and hook) time limit. It only ends a hang: an end-to-end test that takes 100 s here
  // can take three or four times as long on a loaded 2-core CI box, and must not fail for that.
  testTimeout: 600_000,
  // Most end-to-end tests wait on anvil or loopback servers: two workers halve the suite's time on
  // a 2-core machine (measured: 10 min with one, 4.5 with two).
  maxWorkers: 2,
};
