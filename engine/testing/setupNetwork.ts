// vitest setup: every test process gets a network of its own (testNetwork.ts)
// before any engine opens, so CLI tests' child processes inherit it too ($STRATA_CONFIG_ROOT).
import { claimTestNetwork } from './testNetwork';

claimTestNetwork();
