// What some suites need outside Node, looked up once. Where one is missing
// they skip with a visible line (describeIf / itIf); CI installs them all.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Python, the interpreter the Python examples and fixtures are run with. */
export const PYTHON = '/usr/bin/python3';
export const pythonAvailable = existsSync(PYTHON);
/**
 * scikit-learn for that Python (Debian's python3-sklearn). Its version is read, not only the import: removing
 * python3-sklearn leaves python3-sklearn-lib's directory, which still imports as an empty namespace package.
 */
export const sklearnAvailable = pythonAvailable && spawnSync(PYTHON, ['-c', 'import sklearn; sklearn.__version__'], { stdio: 'ignore' }).status === 0;
/** Debian's Chromium, driven headless through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
