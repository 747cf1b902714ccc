// From an empty store to a starter image: the first thing a learner does.
// Runs before every other spec (project "starter"), which use its image.

import { test } from './support/fixtures';

test('an empty store offers the starter image; making it shows its one-layer stack', async ({ app }) => {
  const images = await app.images();
  await images.expectEmpty();
  await images.bootstrapStarter();
  await images.expectImage('starter');
  const image = await images.open('starter');
  await image.expectLayerCount(1);
  await app.screenshot('starter-image');
});
