// The entry names of a tar file the app saved (leading ./ dropped).

import fs from 'node:fs';
import tar from 'tar-stream';

export function tarEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      names.push(header.name.replace(/^\.\//, '').replace(/\/$/, ''));
      stream.on('end', next);
      stream.resume();
    });
    extract.on('finish', () => resolve(names));
    extract.on('error', reject);
    fs.createReadStream(file).on('error', reject).pipe(extract);
  });
}
