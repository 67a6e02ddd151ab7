/**
 * What the driver (bench/run.ts) passes to every section.
 *
 * The section protocol: each file `bench/sections/*.ts` (files starting
 * with `_` are ignored) exports
 *
 *     export async function run(opts: SectionOptions): Promise<string>
 *
 * returning one markdown section that starts with a `## ` heading. The
 * driver imports them in filename order and concatenates what they return
 * into BENCHMARKS.md; adding a section means adding a file, not editing the
 * driver. Quality numbers must be deterministic given the seeds; quick mode
 * keeps the whole suite under two minutes.
 */
export interface SectionOptions {
  /** Fewer seeds and trials: the CI run (`npm run bench:quick`). */
  readonly quick: boolean;
  /**
   * Where figures go: `dir` (absolute) to write SVG files in, `href` the same
   * folder relative to the report, for its links. Use `writeFigure`.
   */
  readonly figures?: { readonly dir: string; readonly href: string };
}
