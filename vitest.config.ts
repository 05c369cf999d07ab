import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Web components run under jsdom, chosen per file (`// @vitest-environment jsdom`).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
