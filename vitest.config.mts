import { defineConfig } from 'vitest/config';

// Unit and integration tests live next to the code (*.test.ts). Integration
// tests use the real kernel as root, each in its own temporary engine root.
export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts', 'engine/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
    pool: 'forks',
    // Each test process claims a bridge and subnets of its own ($STRATA_CONFIG).
    setupFiles: ['engine/testing/setupNetwork.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
