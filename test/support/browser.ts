import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); playwright-core downloads no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Where the browser tests save the console's screenshots: docs/console/ (the README's) when
 * `npm run screenshots` asks for them, a temp dir otherwise (so a test run leaves the tree clean).
 */
export const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS
  ? join(import.meta.dirname, '..', '..', 'docs', 'console')
  : join(tmpdir(), 'chute-console-screenshots');

export interface TestBrowser {
  context: BrowserContext;
  /** A new page (1400×900) whose console errors fail nothing but are kept in `errors`. */
  page(): Promise<Page & { errors: string[] }>;
  close(): Promise<void>;
}

/**
 * Launches chromium headless once per test file, with a fresh profile and nothing that reaches
 * out to the network on its own (the console must work offline).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'chute-chromium-'));
  // A persistent context is how playwright takes --user-data-dir (a fresh one per file).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async page() {
      const page = Object.assign(await context.newPage(), {
        errors: [] as string[],
      });
      page.on('pageerror', (error) => page.errors.push(error.message));
      page.on('console', (message) => {
        // The pipeline views answer 404 where there is no pipeline (the console hides their
        // panels) and 503 when their source is down (the panel says so): answers the page
        // shows, which chromium logs as errors all the same.
        const shownAnswer =
          /status of (404|503)/.test(message.text()) &&
          message.location().url.includes('/console/api/pipeline/');
        if (message.type() === 'error' && !shownAnswer) page.errors.push(message.text());
      });
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot (the whole page unless `fullPage` is false) as <SCREENSHOTS>/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Waits until `locator` shows `text` (playwright-core has no expect of its own). */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ timeout });
  } catch (error) {
    // What the page showed instead, for whoever reads the failure.
    const path = join(tmpdir(), `chute-console-failure-${Date.now()}.png`);
    await locator.page().screenshot({ path, fullPage: true });
    throw new Error(`${(error as Error).message}\nThe page then: ${path}`, { cause: error });
  }
}
