/**
 * How a sampler models one parameter: `continuous` (ordered, interpolable:
 * sorted numeric vectors and ranges), `categorical` (ordered levels) or
 * `unorderedCategorical` (levels without order). Used by CLHSampler and BOHB.
 */
export type Dimension =
  { readonly kind: 'continuous' } | { readonly kind: 'categorical'; readonly levels: number } | { readonly kind: 'unorderedCategorical'; readonly levels: number };

/** Dimensions in the space's key order, or by parameter name. */
export type Dimensions = readonly Dimension[] | Readonly<Record<string, Dimension>>;
