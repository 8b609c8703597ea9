// Debian's chromium as every browser script here starts it: headless, with a profile of its
// own, and without the background connections that a machine without internet refuses (see
// docs/reliability.md). One place, so the scripts cannot drift apart.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BROWSER = process.env.DEFUSE_CHROMIUM || '/usr/bin/chromium';

export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A browser context in a new temporary profile; `close()` ends it and removes the profile.
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'defuse-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: BROWSER, headless: true, args: ARGS, ...options });
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
