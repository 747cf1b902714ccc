// The built renderer's files (dist/renderer), found from a URL path without
// ever leaving that folder: no `..`, no encoded separators, no symlink out.
// Shared by the browser host and Electron's app protocol.

import fs from 'node:fs';
import path from 'node:path';

export interface Asset {
  file: string;
  extension: string;
  size: number;
}

/**
 * The file a URL path names under `root`; paths that name no file and have no
 * extension fall back to index.html, so a reload on an in-app route still
 * loads the app. Undefined when there is nothing to serve.
 */
export function findAsset(root: string, urlPath: string): Asset | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (rel.includes('\0') || rel.includes('\\')) return undefined;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // The renderer is being rebuilt (vite empties its folder first): nothing to serve for now.
    return undefined;
  }
  const wanted = path.join(realRoot, path.posix.normalize('/' + rel));
  const found = regularFile(realRoot, wanted === realRoot ? path.join(realRoot, 'index.html') : wanted);
  if (found || path.extname(wanted) !== '') return found;
  return regularFile(realRoot, path.join(realRoot, 'index.html'));
}

function regularFile(realRoot: string, file: string): Asset | undefined {
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(file);
    st = fs.statSync(real);
  } catch {
    return undefined;
  }
  if (!real.startsWith(realRoot + path.sep) || !st.isFile()) return undefined;
  return { file: real, extension: path.extname(real), size: st.size };
}
