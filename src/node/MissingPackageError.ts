/**
 * Thrown when a Node feature needs an optional peer package that is not
 * installed. The message names the feature and the command that fixes it,
 * e.g. "renderSvg needs vega and vega-lite: npm install vega vega-lite".
 */
export class MissingPackageError extends Error {
  override readonly name = 'MissingPackageError';
  constructor(
    /** The feature that needs them: `renderSvg`, `queue`, `startWorker`, `threads`, `--plot`. */
    readonly feature: string,
    /** The npm packages to install. */
    readonly packages: readonly string[],
    options?: ErrorOptions,
  ) {
    const names = packages.length === 1 ? packages[0] : `${packages.slice(0, -1).join(', ')} and ${packages[packages.length - 1]}`;
    super(`${feature} needs ${names}: npm install ${packages.join(' ')}`, options);
  }
}
