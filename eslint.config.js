// ESLint, flat config: typescript-eslint's type-aware recommended rules over the
// TypeScript sources, the untyped recommended rules over the few JavaScript
// files, and eslint-config-prettier last so that layout is Prettier's alone.
// Import layers, Node built-ins in the core and cycles are dependency-cruiser's
// (.dependency-cruiser.cjs); `npm run lint` runs all three checks.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'coverage/', 'docs/api/', 'bench/results/', 'bench/figures/', '.docs-check/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The public types default their parameters to `any` on purpose
      // (`Objective<P = any>`, `Trial<P = any>`, `Hyperoptimizer<P = any>`) so
      // that untyped spaces read without casts; an `any` that flows into code
      // is still caught by the no-unsafe-* rules.
      '@typescript-eslint/no-explicit-any': 'off',
      // An async function without `await` is how the code says "returns a
      // promise, and a throw becomes a rejection" (async objectives above all).
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a parameter kept for its position or a
      // property destructured away to leave the rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests feed the library what the types forbid (bad input, JSON read
    // back, non-Error throws) to check what it does with it.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    // Plain JavaScript (configs, the bin shim, worker entries, fixtures) is
    // outside the tsconfig, so it gets the rules that need no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
