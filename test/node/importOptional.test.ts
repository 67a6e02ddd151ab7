import { describe, it, expect } from '@jest/globals';
import { importOptional } from '../../src/node/internal/importOptional.js';
import { MissingPackageError } from '../../src/node/MissingPackageError.js';
import { main } from '../../src/node/cli.js';

describe('optional peer packages', () => {
  it('should name the feature and the npm install that fixes a missing package', async () => {
    // @ts-expect-error: a package that exists nowhere
    const error = await importOptional('renderSvg', ['no-such-package-x1', 'no-such-package-x2'], () => import('no-such-package-x1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPackageError);
    expect((error as Error).message).toBe('renderSvg needs no-such-package-x1 and no-such-package-x2: npm install no-such-package-x1 no-such-package-x2');
    expect((error as MissingPackageError).packages).toEqual(['no-such-package-x1', 'no-such-package-x2']);
  });

  it('should pass through an error that is not the package missing', async () => {
    const broken = new Error('the package threw while loading');
    await expect(importOptional('threads', ['piscina'], () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('should load an installed package', async () => {
    const { Piscina } = await importOptional('threads', ['piscina'], () => import('piscina'));
    expect(typeof Piscina).toBe('function');
  });
});

describe('hyperopt-rx --version and help', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
  };

  it('should print the package version', async () => {
    const { out, io: cli } = io();
    expect(await main(['--version'], cli)).toBe(0);
    expect(out.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([['run'], ['worker']])('should print the usage for %s --help and exit 0', async (command) => {
    const { out, io: cli } = io();
    expect(await main([command, '--space', 's.json', '--help'], cli)).toBe(0);
    expect(out.stdout).toContain('Usage:');
    expect(out.stderr).toBe('');
  });

  it("should leave a program's own --help alone", async () => {
    const { out, io: cli } = io();
    expect(await main(['run', '--', 'prog', '--help'], cli)).toBe(2); // no --space: a usage error, not help
    expect(out.stderr).toContain('--space is required');
  });
});
