// The tour's words, one JSON file per language under text/ (English is the
// reference: a translation may leave keys out, and they read in English).
// A trainer adds a language by copying text/en.json to text/<code>.json,
// translating its values, and naming it in `languages` below.

import en from './text/en.json';
import { stepIds, type Facts, type StepId } from './model';

export type TourText = typeof en;
export interface StepText {
  title: string;
  body: string;
  look: string;
}

/** Every language shipped, by its code (the first part of navigator.language). */
export const languages: Record<string, unknown> = { en };

type Loose = { [key: string]: unknown };

function merge(base: Loose, over: unknown): Loose {
  if (typeof over !== 'object' || over === null) return base;
  const out: Loose = { ...base };
  for (const [k, v] of Object.entries(base)) {
    const o = (over as Loose)[k];
    if (typeof v === 'object' && v !== null) out[k] = merge(v as Loose, o);
    else if (typeof o === 'string' && o.trim() !== '') out[k] = o;
  }
  return out;
}

/** The text for a language tag ("fr-CA" finds fr), English where it has no word; unknown keys are ignored. */
export function tourText(tag: string | undefined, shipped: Record<string, unknown> = languages): TourText {
  const code = (tag ?? 'en').toLowerCase().split(/[-_]/)[0];
  return merge(en as unknown as Loose, shipped[code]) as unknown as TourText;
}

export function stepText(text: TourText, id: StepId): StepText {
  return (text.steps as Record<StepId, StepText>)[id];
}

/** Fills `{name}` from facts; a fact the step did not find reads as "…". */
export function fill(template: string, facts: Facts): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => facts[k] ?? '…');
}

/** Step ids the text lacks a title, body or look for (a test keeps English complete). */
export function missingSteps(text: TourText): StepId[] {
  return stepIds.filter((id) => {
    const t = (text.steps as Record<string, Partial<StepText> | undefined>)[id];
    return !t?.title || !t.body || !t.look;
  });
}
