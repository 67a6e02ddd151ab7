import { MissingPackageError } from '../MissingPackageError.js';

/**
 * Loads an optional peer package for a Node feature. When it is not
 * installed, the error names the feature and the command that fixes it,
 * e.g. "renderSvg needs vega and vega-lite: npm install vega vega-lite".
 * `load` must be a literal `() => import('name')`, so that bundlers see it.
 */
export async function importOptional<M>(feature: string, packages: readonly string[], load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, packages)) throw new MissingPackageError(feature, packages, { cause: error });
    throw error;
  }
}

function isMissing(error: unknown, packages: readonly string[]): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package itself missing, not a broken install that fails to find one of its own files.
  return typeof message === 'string' && packages.some((name) => message.includes(`'${name}'`) || message.includes(`"${name}"`));
}
