/** Resolved options of a BOHB policy (BOHB validates them and documents the defaults). */
export interface ModelOptions {
  readonly q: number;
  readonly Ns: number;
  readonly bwFactor: number;
  readonly minBandwidth: number;
  /** Observations a budget needs before its model is used. */
  readonly Nmin: number;
  /** Default mode: most observations in the good set. */
  readonly maxGood: number;
  /** Default mode: weight of the uniform prior component in l and g, in observations. */
  readonly priorWeight: number;
  /** Default mode: 'joint' scores by the joint l/g; 'hybrid' adds the marginal l/g of every dimension and recombines half the candidates. */
  readonly kernel: 'joint' | 'hybrid';
  /** Default mode: probability of a coordinate move from the incumbent. */
  readonly local: number;
  /** Default mode: share of proposals that are local quadratic steps from the incumbent (0: none). */
  readonly refine: number;
  /** Default mode: the bad density uses the most recent `window` bad observations. */
  readonly window: number;
  /**
   * Default mode: 'kmeans' picks a proposal made while others are in flight
   * from a group of the good region none of them is nearest to; absent or
   * 'none': the best candidate (BOHB always passes its resolved option).
   */
  readonly batch?: 'kmeans' | 'none';
  /** Default mode with the k-means rule: 'linear' counts configurations in flight predicted good as observed at the prediction; absent or 'none': they stay out. */
  readonly believer?: 'linear' | 'none';
}
