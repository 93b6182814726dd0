/** Unit and integration tests run from TypeScript sources; end-to-end tests (test/e2e) need a built dist and the Pulumi CLI. */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/provider", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/fixtures/"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  reporters: ["<rootDir>/test/reporters/progress.js", "<rootDir>/test/reporters/summary-line.js"],
};
