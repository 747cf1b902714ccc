import { describe, expect, it } from 'vitest';
import en from './text/en.json';
import { fill, missingSteps, stepText, tourText } from './text';

describe('the tour text', () => {
  it('English has a title, a body and a place to look at for every step', () => {
    expect(missingSteps(tourText('en'))).toEqual([]);
  });

  it('a language is picked by the first part of its tag, and missing words read in English', () => {
    const fr = { ui: { next: 'Suivant' }, steps: { image: { title: 'Une image est une pile de couches en lecture seule', body: '' } } };
    const text = tourText('fr-CA', { en, fr });
    expect(text.ui.next).toBe('Suivant');
    expect(text.ui.back).toBe(en.ui.back);
    expect(stepText(text, 'image').title).toBe('Une image est une pile de couches en lecture seule');
    // An empty translation is no translation.
    expect(stepText(text, 'image').body).toBe(en.steps.image.body);
    expect(missingSteps(text)).toEqual([]);
  });

  it('an unknown language, or a file of the wrong shape, reads as English', () => {
    expect(tourText('xx', { en })).toEqual(tourText('en'));
    expect(tourText('de', { en, de: ['not', 'an', 'object'] })).toEqual(tourText('en'));
    expect(tourText('de', { en, de: { steps: { image: { title: 42 } } } }).steps.image.title).toBe(en.steps.image.title);
  });

  it('fills in what the engine answered, and marks what it did not', () => {
    expect(fill('{image} is {layers}; {nothing}', { image: 'starter', layers: '1 read-only layer' })).toBe('starter is 1 read-only layer; …');
  });
});
