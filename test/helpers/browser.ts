import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { BUILD_ROOT, REPO_ROOT } from './paths';

/** Debian's Chromium (scripts/install-test-peers.sh installs it); playwright-core downloads nothing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Screenshots the console tests leave for a person to look at (gitignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'console');
/** Where scripts/build-console.js puts the bundle for the tree the tests run from. */
export const CONSOLE_BUNDLE = join(BUILD_ROOT, 'src', 'web', 'console', 'public', 'console.js');

/** Fails with the fix when the tree under test was compiled by tsc alone (no console bundle). */
export function assertConsoleBuilt(): void {
  if (!existsSync(CONSOLE_BUNDLE)) {
    throw new Error(`no console bundle at ${CONSOLE_BUNDLE}: build it with \`node scripts/build-console.js ${join(BUILD_ROOT, 'src', 'web', 'console', 'public')}\` (npm run build:test does)`);
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console.error lines of the page: a test asserts there are none. */
  errors: string[];
}

/** A fresh browser context (own cookie jar) at a fixed desktop size, so screenshots compare. */
export async function openConsole(browser: Browser, baseUrl: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A 401 before login is the console's expected first answer; the browser logs it as a failed resource.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  await page.goto(baseUrl);
  return { context, page, errors };
}

/** Signs in through the console's own login form, as an operator would. */
export async function logInThroughForm(page: Page, token: string): Promise<void> {
  await page.waitForSelector('#login-form');
  await page.fill('#token', token);
  await page.click('#login');
  await page.waitForSelector('#principal');
}

/** Saves a PNG under test-artifacts/console/ and returns its path. */
export async function saveScreenshot(target: Page | { screenshot: Page['screenshot'] }, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await target.screenshot({ path, ...('goto' in target ? { fullPage } : {}) });
  return path;
}
