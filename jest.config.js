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
  testTimeout: 120000,
};
