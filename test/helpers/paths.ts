import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The compiled tree the tests run from (build, or any build-NAME folder beside it). */
export const BUILD_ROOT = resolve(__dirname, '..', '..');
/** The repository root. */
export const REPO_ROOT = resolve(BUILD_ROOT, '..');
/** ../shared beside the repository: fixtures and datasets, never copied into the repo. */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');
export const FIXTURES_DIR = join(SHARED_DIR, 'fixtures');

export function fixture(...parts: string[]): string {
  return join(FIXTURES_DIR, ...parts);
}

/** Every regular file directly in a fixture folder (a new fixture is tested without code changes). */
export function fixtureFiles(folder: string, filter: (name: string) => boolean = () => true): string[] {
  const dir = fixture(folder);
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isFile() && filter(n))
    .sort()
    .map((n) => join(dir, n));
}
