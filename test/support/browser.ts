import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/paths';
import { missingDependency } from './dependencies';

/**
 * A real browser for the tests: Debian's Chromium (`apt-get install chromium`) driven by
 * playwright-core, which downloads no browser of its own.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and quiet: no sandbox (containers run as root), no updates, syncs or other calls home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and other files a run keeps for people to look at (git-ignored). */
export const TEST_ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test-artifacts');

/** `describe`, or `describe.skip` with the reason said where Chromium is missing (an error under CI=true). */
export function describeWithChromium(name: string, tests: () => void): void {
  const available =
    fs.existsSync(CHROMIUM_PATH) ||
    missingDependency(`Chromium is not installed at ${CHROMIUM_PATH}`, 'the real-browser tests', 'Install it with `apt-get install chromium`.');
  (available ? describe : describe.skip)(name, tests);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PageServer {
  /** `http://127.0.0.1:PORT`: an origin of its own, not Kiji's. */
  origin: string;
  close(): Promise<void>;
}

/** A tiny web server answering every GET with `html`: the page of a web app on another origin. */
export async function servePage(html: string): Promise<PageServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
