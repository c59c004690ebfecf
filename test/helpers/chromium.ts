import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';

/** The Debian chromium package's launcher; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (containers), and nothing that phones home or updates itself. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** In a `before` hook: skips the suite, saying why, when there is no Chromium to drive. */
export function skipWithoutChromium(suite: Mocha.Context): void {
  if (chromiumAvailable()) return;
  console.warn(`      ${CHROMIUM_MISSING}`);
  suite.skip();
}

export const CHROMIUM_MISSING = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and failed requests (CSP violations show up here). */
  problems: string[];
  /** Responses with an HTTP error status, as `status method url`. */
  errorResponses: string[];
  close(): Promise<void>;
}

/**
 * Chromium with a fresh, throw-away profile (user-data-dir), a phone-sized window (360 px, as
 * most of the sign-ins happen on phones) and Persian as the browser's language.
 */
export async function launchChromium(
  options: { width?: number; height?: number } = {},
): Promise<LaunchedChromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'darvaze-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: options.width ?? 360, height: options.height ?? 760 },
    deviceScaleFactor: 1,
    locale: 'fa-IR',
    timezoneId: 'Asia/Tehran',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const errorResponses: string[] = [];
  page.on('console', (message) => {
    // HTTP error statuses are reported by the response listener, with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      errorResponses.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A script's fetch abandoned by a navigation (the mobile page's waiting passkey request, when
    // the person goes on by SMS) is the page leaving, not a failure.
    if (request.resourceType() === 'fetch' && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return {
    context,
    page,
    problems,
    errorResponses,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a full-page screenshot as `<dir>/<name>-<width>.png` at the current width and, for each
 * of `alsoWidths`, at that width too (the window returns to its size afterwards).
 */
export async function screenshot(page: Page, name: string, alsoWidths: number[] = []): Promise<string[]> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const original = page.viewportSize() ?? { width: 360, height: 760 };
  const saved: string[] = [];
  for (const width of [original.width, ...alsoWidths]) {
    if (width !== page.viewportSize()?.width) await page.setViewportSize({ width, height: original.height });
    const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    saved.push(path);
  }
  if (page.viewportSize()?.width !== original.width) await page.setViewportSize(original);
  return saved;
}

/**
 * A platform authenticator in the page's browser (CDP WebAuthn's virtual authenticator), as on a
 * phone with a fingerprint: discoverable credentials, user verification, presence answered at once.
 */
export async function addPlatformAuthenticator(
  chromium: LaunchedChromium,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await chromium.context.newCDPSession(chromium.page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}
