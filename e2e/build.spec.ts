// Build from the app: a Dockerfile typed into the Build view becomes an
// image step by step, its stack growing a layer per step; built again,
// every step after FROM comes from the cache. The image is removed through
// the app at the end, leaving the store as the other specs expect it.

import { expect, test } from './support/fixtures';

const dockerfile = 'FROM starter\nRUN echo hi > /hi.txt\nCMD ["cat","/hi.txt"]\n';

test('a typed Dockerfile builds step by step into a new layer, then again all from the cache', async ({ app }) => {
  const build = await app.build();
  await build.typeDockerfile(dockerfile);
  await build.setTags('built:e2e');
  // No context folder: the Dockerfile goes on standard input, as `docker build - < Dockerfile`.
  await expect(build.command).toContainText(`strata build -t built:e2e - <<'EOF'\n${dockerfile}EOF`);

  await build.build();
  await expect(build.status).toContainText('tagged built:e2e');
  await build.expectStep(1, 'FROM starter', 'base');
  await build.expectStep(2, 'RUN echo hi > /hi.txt', 'miss');
  // Step 2 missed, so step 3 is not looked up: the rest of the stage runs.
  await build.expectStep(3, 'CMD ["cat","/hi.txt"]', 'not asked');
  await expect(build.step(2)).toContainText(/\d+B layer \(L1\)/);
  await expect(build.step(3)).toContainText('no layer: metadata only');
  // The starter's layer, and the RUN's on top of it, made now; the CMD is a metadata-only marker.
  await expect(build.layers).toHaveCount(2);
  await expect(build.layer(0)).toContainText('strata bootstrap');
  await expect(build.layer(1)).toContainText('RUN echo hi > /hi.txt');
  await expect(build.layer(1)).toContainText('new · step 2');
  await app.expectLastCommandDone(/strata build -t built:e2e -/);
  await app.screenshot('built');

  await build.build();
  await build.expectStep(1, 'FROM starter', 'base');
  await build.expectStep(2, 'RUN echo hi > /hi.txt', 'hit');
  await build.expectStep(3, 'CMD ["cat","/hi.txt"]', 'hit');
  await expect(build.status).toContainText(/Built [0-9a-f]{12}/);
  await expect(build.tally).toContainText('2 from cache · 0 ran · 0 new layers');
  await expect(build.layer(1)).toContainText('cache · step 2');
  await app.screenshot('rebuilt-from-cache');

  const image = await build.openImage('built:e2e');
  await image.expectLayerCount(2);
  await image.remove();
  const images = await app.images();
  await expect(images.row('built:e2e')).toHaveCount(0);
});
