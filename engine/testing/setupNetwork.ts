// vitest setup: every test process gets a network of its own (testNetwork.ts)
// before any engine opens, so CLI tests' child processes inherit it too.
import { claimTestNetwork } from './testNetwork';

claimTestNetwork();
