import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDITOR_ID,
  AUDITOR_SECRET,
  runAuditJourney,
  startAuditFederation,
  type AuditFederation,
  type AuditJourney,
} from './audit-federation.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(tmpdir(), 'baton-auditor-page.png');

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')(
  `the auditor page in headless Chromium${existsSync(CHROMIUM) ? '' : ` — SKIPPED: ${CHROMIUM} missing (apt-get install chromium)`}`,
  () => {
    let fed: AuditFederation;
    let journey: AuditJourney;
    let browser: Browser;

    beforeAll(async () => {
      fed = await startAuditFederation();
      journey = await runAuditJourney(fed);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
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
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await fed?.close();
    });

    it('is behind the auditor credential: a browser without it is asked for Basic credentials', async () => {
      const anonymous = await fetch(`${fed.c.url}/audit/page`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe(
        'Basic realm="baton-audit", charset="UTF-8"',
      );
      expect(await anonymous.text()).not.toContain('<svg');
    });

    it('draws the demo chain at C: three domains as boxes, hops with actor, scope and status, the derived token below', async () => {
      const context = await browser.newContext({
        httpCredentials: { username: AUDITOR_ID, password: AUDITOR_SECRET },
        viewport: { width: 1400, height: 900 },
      });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') {
            errors.push(message.text());
          }
        });
        const response = await page.goto(`${fed.c.url}/audit/page`);
        expect(response?.status()).toBe(200);
        await page.fill('#subject', journey.tokens.t2);
        await page.click('button[type=submit]');
        await page.waitForSelector('#status[data-done]', { timeout: 15_000 });
        expect(await page.textContent('#status')).toContain(`Traced ${journey.jti.t2}`);
        const attribute = async (selector: string, name: string) =>
          Promise.all((await page.locator(selector).all()).map((item) => item.getAttribute(name)));
        const domains = await attribute('svg .domain', 'data-issuer');
        expect(domains).toEqual([fed.a.issuer, fed.b.issuer, fed.c.issuer]);
        const hops = await page.locator('svg .hop').allTextContents();
        expect(hops).toHaveLength(3);
        expect(hops[2]).toContain('actor agent-b');
        expect(hops.every((hop) => hop.includes('verified (signature'))).toBe(true);
        expect(await page.locator('svg .arrow').count()).toBe(2);
        expect(await page.textContent('#verification')).toMatch(
          /^Chain verified cryptographically/,
        );
        const derived = await attribute('#derived li.derived', 'data-jti');
        expect(derived).toEqual([journey.jti.t3]);
        await page.locator('body').screenshot({ path: SCREENSHOT });
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
      const png = await readFile(SCREENSHOT);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      const width = png.readUInt32BE(16);
      const height = png.readUInt32BE(20);
      expect(width).toBeGreaterThan(800);
      expect(height).toBeGreaterThan(300);
      expect(png.length).toBeGreaterThan(20_000);
    });
  },
);
