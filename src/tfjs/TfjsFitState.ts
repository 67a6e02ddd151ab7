/** One weight tensor of a model, as plain data: no tensor is kept alive. */
export interface TfjsWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/**
 * What `fromTfjsFit` emits as the trial's `state` after its last epoch, and
 * takes back to resume: the weights after `epoch` epochs and the value then.
 * Plain typed arrays, so a configuration that is never promoted leaks nothing.
 */
export interface TfjsFitState {
  /** Epochs trained so far, in total (the next fit starts at this `initialEpoch`). */
  readonly epoch: number;
  /** The streamed metric after that epoch. */
  readonly value: number;
  /** `model.getWeights()`, in order. */
  readonly weights: readonly TfjsWeight[];
  /**
   * The optimizer's own state (`optimizer.getWeights()`: its step count, Adam's
   * moments, momentum's velocities), in order, so a resumed fit goes on as an
   * unbroken one would. Absent in a state written before it was kept: the
   * resumed fit then starts its optimizer afresh.
   */
  readonly optimizer?: readonly TfjsNamedWeight[];
}

/** One optimizer variable as plain data, under the name TF.js gave it. */
export interface TfjsNamedWeight extends TfjsWeight {
  readonly name: string;
}
