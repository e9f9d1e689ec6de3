// The app under a strict Content-Security-Policy, served as a header (and carried by index.html
// as a meta tag): it starts, and nothing a person does raises a violation: examples, a question
// and its fix, the connectivity view and its charts, pictures for slides (SVG and PNG), the
// share link, a file opened, and a lesson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDist, launchBrowser, newPage } from './support.mjs';

export const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

/** A page that records every `securitypolicyviolation` in `window.__violations`. */
async function strictPage(browser) {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} ${e.sourceFile ?? ''}:${e.lineNumber ?? ''} ${e.sample ?? ''}`),
    );
  });
  return page;
}

const violations = (page) => page.evaluate(() => window.__violations);

test('under a strict Content-Security-Policy the app starts and every feature runs without a violation', async () => {
  const browser = await launchBrowser();
  const server = await serveDist('dist', '/', { 'content-security-policy': POLICY });
  try {
    const page = await strictPage(browser);
    await page.goto(server.url);
    await page.getByTestId('canvas').waitFor({ timeout: 30000 });
    assert.deepEqual(await violations(page), [], 'starting');
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.equal(meta, POLICY, 'index.html carries the same policy');

    // A question and its fix.
    await page.getByTestId('verdict').waitFor();
    if ((await page.getByTestId('apply-fix').count()) > 0) await page.getByTestId('apply-fix').first().click();
    // Every example.
    const examples = await page.getByTestId('examples').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(examples.length >= 9, `${examples.length} examples`);
    for (const name of examples) {
      await page.getByTestId('examples').selectOption(name);
      await page.getByTestId('canvas').waitFor();
    }
    // The packet's walk, played, and presentation mode.
    await page.getByTestId('packet-next').click();
    await page.getByTestId('packet-label').waitFor();
    await page.getByTestId('packet-play').click();
    await page.getByTestId('present').click();
    await page.getByTestId('present-caption').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    assert.deepEqual(await violations(page), [], 'the walk and presentation mode');
    // The connectivity view, a cell asked, the charts.
    await page.getByTestId('matrix-open').click();
    await page.getByTestId('matrix').waitFor();
    await page.getByTestId('matrix-cell').first().click();
    await page.getByTestId('matrix-charts').click();
    await page.getByTestId('chart-heatmap').locator('svg').waitFor();
    await page.getByTestId('chart-rules').locator('svg').waitFor();
    for (const id of ['chart-heatmap-svg', 'chart-heatmap-png', 'matrix-csv']) {
      await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    }
    await page.getByTestId('matrix-open').click();
    // Pictures for slides, and the scenario as a file.
    for (const id of ['export-svg', 'export-png', 'export-json']) {
      await page.getByTestId('scenario-menu').click();
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      assert.ok((await readFile(await d.path())).length > 100, `${id} wrote a file`);
    }
    // A share link, opened in a new page under the same policy.
    await page.getByTestId('scenario-menu').click();
    await page.getByTestId('share-link').click();
    await page.getByTestId('share-url').waitFor();
    const link = await page.getByTestId('share-url').inputValue();
    await page.keyboard.press('Escape');
    const other = await strictPage(browser);
    await other.goto(link);
    await other.getByTestId('canvas').waitFor();
    // A file opened.
    await page.getByTestId('import-input').setInputFiles({
      name: 'net.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ version: 1, name: 'Opened', spaces: [] })),
    });
    await page.waitForTimeout(300);
    // A lesson from a link: a prediction revealed, a challenge, a hint, the course list, and
    // the "Make a lesson" dialog.
    const lesson = await strictPage(browser);
    await lesson.goto(`${server.url}#lesson/peering`);
    await lesson.getByTestId('lesson-panel').waitFor();
    await lesson.getByTestId('lesson-next').click();
    await lesson.getByTestId('predict-blocked').check();
    await lesson.getByTestId('predict-rule').selectOption('PEER-ROUTE');
    await lesson.getByTestId('predict-component').selectOption('route_table');
    await lesson.getByTestId('predict-check').click();
    await lesson.getByTestId('predict-trace').waitFor();
    await lesson.getByTestId('lesson-next').click();
    await lesson.getByTestId('lesson-next').click();
    await lesson.getByTestId('lesson-hint-more').click();
    await lesson.getByTestId('lessons-open').click();
    await lesson.getByTestId('lesson-item').first().waitFor();
    await lesson.getByTestId('course-close').click();
    await page.getByTestId('scenario-menu').click();
    await page.getByTestId('make-lesson').click();
    await page.getByTestId('authoring-close').first().click();
    await page.waitForTimeout(300);
    assert.deepEqual(await violations(lesson), [], 'a lesson');
    assert.deepEqual(lesson.errors, []);
    assert.deepEqual(await violations(page), [], 'using every feature');
    assert.deepEqual(await violations(other), [], 'opening a share link');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(other.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
