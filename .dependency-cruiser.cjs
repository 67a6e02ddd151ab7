// The import rules of src/, checked by `npm run lint` (dependency-cruiser):
// each layer imports only itself and the layers below it, the platform-neutral
// core imports no Node built-in, and no module reaches itself again. Type-only
// imports count too (tsPreCompilationDeps), since they tie layers all the same.

/** Bottom to top; a folder is `src/<name>/`, a file is `src/<name>`. */
const LAYERS = ['base', 'space', 'trial', 'samplers', 'operators', 'multifidelity', 'sinks', 'plots', 'run', 'index.ts', 'node'];
const NODE_SIDE = '^src/(node/|node\\.ts$)';

const pathOf = (layer) => (layer === 'node' ? NODE_SIDE : layer.endsWith('.ts') ? `^src/${layer.replace('.', '\\.')}$` : `^src/${layer}/`);

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: 'no-upward-import',
  comment: `src/${layer} may import only ${LAYERS.slice(0, i + 1).join(', ')}: ${LAYERS.slice(i + 1).join(', ')} sit above it.`,
  severity: 'error',
  from: { path: pathOf(layer) },
  to: { path: LAYERS.slice(i + 1).map(pathOf) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-node-builtin-in-core',
      comment: 'Everything but src/node/** and src/node.ts runs in browsers too: Node built-ins belong on the Node side.',
      severity: 'error',
      from: { path: '^src/', pathNot: NODE_SIDE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-core-import-of-tfjs',
      comment: 'src/tfjs (hyperopt-rx/tfjs) sits on top of the core and needs TensorFlow.js, an optional peer: nothing else may import it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(tfjs/|tfjs\\.ts$)' },
      to: { path: '^src/(tfjs/|tfjs\\.ts$)' },
    },
    {
      name: 'no-node-side-in-tfjs',
      comment: 'hyperopt-rx/tfjs runs in browsers too: it builds on the core, never on src/node.',
      severity: 'error',
      from: { path: '^src/(tfjs/|tfjs\\.ts$)' },
      to: { path: NODE_SIDE },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle makes load order matter and blurs which module owns what.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    // Packages are leaves: their own imports are theirs. (No includeOnly: it would drop the built-ins.)
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.d.mts', '.js', '.mjs'],
    },
  },
};
