// Where the checkout's pieces are, for the setup and the specs.

import path from 'node:path';

export const repo = path.resolve(__dirname, '..', '..');
export const strataBin = path.join(repo, 'bin', 'strata');
