import type { Dimension } from '../../space/Dimension.js';
import type { Range } from '../../space/Range.js';
import type { Space } from '../../space/Space.js';
import { isRange } from '../../space/Range.js';
import { fromUnit } from '../../space/fromUnit.js';
import { toUnit } from '../../space/toUnit.js';
import { setOwn } from '../../base/setOwn.js';
import { gaussian, type Rng } from '../internal/rng.js';

type Entry = readonly unknown[] | Range;

/** How one parameter sits in the GP's input: one unit-cube coordinate, or a one-hot block. */
interface Slot {
  readonly key: string;
  readonly entry: Entry;
  readonly offset: number;
  /** 0: one ordered coordinate in [0, 1]; L > 0: one-hot over L unordered levels. */
  readonly levels: number;
}

/**
 * The GP's view of a space. Ranges and ordered candidate vectors
 * (`continuous` or `categorical(L)` dims: linrange, explinrange, sorted
 * numbers, ordered levels) are one coordinate each, their `toUnit`
 * position: log ranges and log grids are searched on the log axis,
 * integers and grid points at the centre of their cell. Unordered
 * candidates (`unorderedCategorical`) are one-hot blocks, so the ARD kernel
 * learns one length scale per level instead of inventing an order.
 */
export class GpEncoding {
  /** Input dimension of the GP (one-hot blocks count L each). */
  readonly D: number;
  /** 1 where the acquisition's local search may move a coordinate continuously (ordered ones), 0 in one-hot blocks. */
  readonly movable: Uint8Array;
  readonly #slots: readonly Slot[];
  readonly #indexes: readonly (Map<unknown, number> | undefined)[];

  constructor(space: Space, dims: readonly Dimension[]) {
    const keys = Object.keys(space);
    let offset = 0;
    this.#slots = keys.map((key, j) => {
      const entry = space[key];
      const levels = dims[j].kind === 'unorderedCategorical' ? (entry as readonly unknown[]).length : 0;
      const slot = { key, entry, offset, levels };
      offset += levels === 0 ? 1 : levels;
      return slot;
    });
    this.D = offset;
    this.movable = new Uint8Array(offset);
    for (const s of this.#slots) if (s.levels === 0) this.movable[s.offset] = 1;
    this.#indexes = this.#slots.map((s) => (isRange(s.entry) ? undefined : indexMap(s.entry)));
  }

  /** A configuration's coordinates; undefined when a value is not in the space (then it teaches nothing). */
  encode(params: Record<string, unknown>): Float64Array | undefined {
    const x = new Float64Array(this.D);
    for (let j = 0; j < this.#slots.length; j++) {
      const { key, entry, offset, levels } = this.#slots[j];
      const value = params[key];
      if (isRange(entry)) {
        const u = toUnit(entry, value);
        if (!Number.isFinite(u)) return undefined;
        x[offset] = Math.min(1, Math.max(0, u));
        continue;
      }
      const k = this.#indexes[j]!.get(value);
      if (k === undefined) return undefined;
      if (levels === 0) x[offset] = (k + 0.5) / entry.length;
      else x[offset + k] = 1;
    }
    return x;
  }

  /** Moves x in place onto the point it decodes to: cell centres for integers and grids, a single 1 per one-hot block. */
  snap(x: Float64Array): Float64Array {
    for (const { entry, offset, levels } of this.#slots) {
      if (levels === 0) {
        if (!isRange(entry) || entry.kind === 'intUniform') x[offset] = toUnit(entry, fromUnit(entry, clampUnit(x[offset])));
        else x[offset] = Math.min(1, Math.max(0, x[offset]));
        continue;
      }
      let best = 0;
      for (let k = 1; k < levels; k++) if (x[offset + k] > x[offset + best]) best = k;
      for (let k = 0; k < levels; k++) x[offset + k] = k === best ? 1 : 0;
    }
    return x;
  }

  /** The configuration a (snapped) point stands for. */
  decode(x: Float64Array): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const { key, entry, offset, levels } of this.#slots) {
      if (levels === 0) {
        setOwn(params, key, fromUnit(entry, clampUnit(x[offset])));
        continue;
      }
      let best = 0;
      for (let k = 1; k < levels; k++) if (x[offset + k] > x[offset + best]) best = k;
      setOwn(params, key, (entry as readonly unknown[])[best]);
    }
    return params;
  }

  /** A uniform draw from the space, encoded and snapped. */
  random(rng: Rng): Float64Array {
    const x = new Float64Array(this.D);
    for (const { offset, levels } of this.#slots) {
      if (levels === 0) x[offset] = rng();
      else x[offset + Math.min(levels - 1, Math.floor(rng() * levels))] = 1;
    }
    return this.snap(x);
  }

  /**
   * A random neighbour of x (snapped): ordered coordinates moved by a
   * normal step of `scale` times their length scale, and each one-hot block
   * switched to a random level with probability 1/(number of parameters).
   */
  perturb(x: Float64Array, lengthScales: Float64Array, scale: number, rng: Rng): Float64Array {
    const out = Float64Array.from(x);
    const p = 1 / this.#slots.length;
    for (const { offset, levels } of this.#slots) {
      if (levels === 0) {
        out[offset] = Math.min(1, Math.max(0, x[offset] + scale * Math.min(lengthScales[offset], 0.5) * gaussian(rng)));
      } else if (rng() < p) {
        for (let k = 0; k < levels; k++) out[offset + k] = 0;
        out[offset + Math.min(levels - 1, Math.floor(rng() * levels))] = 1;
      }
    }
    return this.snap(out);
  }
}

/** Inside [0, 1): fromUnit maps 1 to the last cell, but keep clear of the edge's rounding. */
function clampUnit(u: number): number {
  return Math.min(1 - 1e-12, Math.max(0, u));
}

/** Candidate → index by identity (a Map is SameValueZero: NaN finds NaN). */
function indexMap(vector: readonly unknown[]): Map<unknown, number> {
  const m = new Map<unknown, number>();
  for (let k = vector.length - 1; k >= 0; k--) m.set(vector[k], k);
  return m;
}
