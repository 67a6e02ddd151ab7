import type { Sampler } from '../../../samplers/Sampler.js';
import type { Direction } from '../../../trial/Direction.js';
import type { Space } from '../../../space/Space.js';
import { Hyperoptimizer } from '../../../sinks/Hyperoptimizer.js';
import type { Trial } from '../../../trial/Trial.js';
import { wireTrial, type WireTrial } from './wireTrial.js';

/** What the page is told about the run besides its trials. */
export interface RunInfo {
  readonly title: string;
  readonly params: readonly string[];
  readonly sampler: string;
  readonly direction: Direction;
}

/**
 * The trials a dashboard shows, and who is listening: each recorded trial
 * goes to every listener (the SSE streams) as it is recorded. One hub per
 * server; the Hyperoptimizer inside is only for the plot specs.
 */
export class DashboardHub {
  readonly ho: Hyperoptimizer;
  readonly #wire: WireTrial[] = [];
  readonly #listeners = new Set<(trial: WireTrial) => void>();
  readonly #title: string;

  constructor(space: Space, options: { readonly sampler?: Sampler; readonly title?: string; readonly direction?: Direction } = {}) {
    this.ho = new Hyperoptimizer({ space, iterations: 1, sampler: options.sampler, direction: options.direction });
    this.#title = options.title ?? 'hyperopt-rx';
  }

  get info(): RunInfo {
    return { title: this.#title, params: this.ho.params, sampler: this.ho.sampler.name, direction: this.ho.direction };
  }

  /** Every trial so far, as the API sends them. */
  get trials(): readonly WireTrial[] {
    return this.#wire;
  }

  record(trial: Trial, id?: number): WireTrial {
    this.ho.record(trial);
    const wire = wireTrial(trial, id);
    this.#wire.push(wire);
    for (const listener of this.#listeners) listener(wire);
    return wire;
  }

  /** Calls `listener` with each trial recorded from now on; returns the unsubscription. */
  listen(listener: (trial: WireTrial) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
