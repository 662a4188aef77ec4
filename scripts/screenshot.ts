/**
 * `npx tsx scripts/screenshot.ts URL OUT.png`: what a page looks like at 1280×800 in Debian's Chromium.
 */
import { launchBrowser } from '../tests/support/browser';

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: tsx scripts/screenshot.ts URL OUT.png');
  process.exit(2);
}
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
