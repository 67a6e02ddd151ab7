import { ArgumentError } from '../../base/ArgumentError.js';
import { checkOptions, checkPositiveInteger, show } from '../../base/check.js';
import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';

export function checkHo(ho: unknown): asserts ho is Hyperoptimizer {
  if (ho === null || typeof ho !== 'object' || !Array.isArray((ho as Hyperoptimizer).trials) || !Array.isArray((ho as Hyperoptimizer).params)) {
    throw new ArgumentError('ho', `must be a Hyperoptimizer, got ${show(ho)}`);
  }
}

/** A plot's options: an object with known keys (a typo is an error, not a default) and a string title. */
export function checkPlotOptions(owner: string, options: unknown, known: readonly string[]): void {
  checkOptions(owner, options, known);
  const title = (options as { title?: unknown }).title;
  if (title !== undefined && typeof title !== 'string') throw new ArgumentError('title', `must be a string, got ${show(title)}`);
}

/** A plot's title and size, checked. */
export interface PlotFrame {
  readonly title?: string;
  readonly width: number;
  readonly height: number;
}

/** The title (checked by checkPlotOptions) and the size: positive integers, each defaulting to the plot's own. */
export function checkPlotSize(options: { readonly title?: string; readonly width?: number; readonly height?: number }, width: number, height: number): PlotFrame {
  return { title: options.title, width: checkPositiveInteger('width', options.width ?? width), height: checkPositiveInteger('height', options.height ?? height) };
}
