import { closest, distance } from 'fastest-levenshtein';

/**
 * `; did you mean X?` when one of `known` is within a third of the word's
 * length in edits (at least 2: a swap of two letters; at most 3), else the
 * empty string.
 */
export function didYouMean(word: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const best = closest(word, [...known]);
  const limit = Math.min(3, Math.max(2, Math.floor(word.length / 3)));
  return distance(word, best) <= limit ? `; did you mean ${best}?` : '';
}
