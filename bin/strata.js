#!/usr/bin/env node
'use strict';
// The strata command line: compiled JavaScript only (run `npm run build` first).
require('../dist/engine/cli/main.js').start(process.argv.slice(2));
