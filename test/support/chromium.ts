import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium package (`.ci/run` installs it when missing): never a browser downloaded at run time. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium as this machine allows it: no sandbox (root), and none of the background
 * connections the closed network would refuse, many at a time.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} absent : installez le paquet Debian chromium (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
