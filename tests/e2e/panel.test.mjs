// The side panel in a real browser against the release build: the answer stays on screen
// whatever is selected, the question being asked survives a reload, large text for a projector,
// and the loading indicator shown until the app starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseBuild, newPage, screenshot, ROOT } from './support.mjs';

const app = releaseBuild();

const EXAMPLES = ['default', 'common-runtime', 'private-space', 'trusted-ips', 'internal-routing', 'peering', 'vpn', 'aws', 'fir', 'limits'];

async function open(options = {}) {
  const page = await newPage(app.browser, options);
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  return page;
}

/** Screenshots to look at, in tests/e2e/screenshots/ with the others. */
const shot = (page, name) => screenshot(page, `panel-${name}`);

/**
 * Where an element is: its box, whether it lies wholly inside the viewport, and whether the
 * element found at its centre is itself or inside it (so nothing covers it and no scrolling
 * container clips it away).
 */
async function placement(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const inside = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const uncovered = hit !== null && (hit === el || el.contains(hit));
    return { inside, uncovered, box: [Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)], hit: hit?.outerHTML.slice(0, 80) };
  });
}

async function assertOnScreen(locator, what) {
  const p = await placement(locator);
  assert.ok(p.inside, `${what} is outside the viewport: ${JSON.stringify(p)}`);
  assert.ok(p.uncovered, `${what} is covered or scrolled away: ${JSON.stringify(p)}`);
}

/** The verdict, and when blocked the blocking step and the first fix, are on screen. */
async function assertAnswerOnScreen(page, what) {
  assert.equal(await page.getByTestId('verdict').count(), 1, `${what}: one verdict`);
  await assertOnScreen(page.getByTestId('verdict'), `${what}: the verdict`);
  if ((await page.getByTestId('verdict').getAttribute('data-verdict')) !== 'blocked') return;
  await assertOnScreen(page.getByTestId('blocking-step').locator('.blocking-text'), `${what}: the blocking step`);
  const first = page.getByTestId('suggestion').first();
  if ((await first.count()) > 0) {
    const action = first.locator('button');
    await assertOnScreen((await action.count()) > 0 ? action.first() : first, `${what}: the first fix`);
  }
  if ((await page.getByTestId('apply-fix').count()) > 0) {
    await assertOnScreen(page.getByTestId('apply-fix').first(), `${what}: the first Apply`);
  }
}

/** The object with the longest inspector an example has: a VPC, else a space, else an app. */
async function selectLargest(page, name) {
  const doc = JSON.parse(await readFile(join(ROOT, `scenarios/${name}.json`), 'utf8'));
  const region = doc.vpcs?.[0]?.id ?? doc.spaces?.[0]?.id;
  if (region) {
    await page.getByTestId(`region-${region}`).locator('.region-header').focus();
    await page.keyboard.press('Enter');
  } else {
    await page.getByTestId(`card-${doc.common_runtime_apps[0].id}`).focus();
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('inspector-title').waitFor();
  return doc;
}

async function openExample(page, name) {
  await page.getByTestId('examples').selectOption(name);
  await page.getByTestId('verdict').waitFor();
}

test('every example, with its largest object selected: the verdict, the blocking step and the first fix are on screen at 1280x800', async () => {
  const page = await open();
  try {
    for (const name of EXAMPLES) {
      await openExample(page, name);
      const doc = await selectLargest(page, name);
      // The inspector is open and long enough to scroll.
      const inspector = await page.getByTestId('inspector').boundingBox();
      assert.ok(inspector.height > 150, `${name}: the inspector is open (${inspector.height}px)`);
      await assertAnswerOnScreen(page, `${name}, first question`);
      if (name === 'default') await shot(page, 'default-vpc-selected-1280');
      // Every saved question, blocked or not, asked from the saved list (which may be scrolled
      // into view first): the answer comes back into view.
      const saved = page.getByTestId('saved-question');
      assert.equal(await saved.count(), doc.questions.length, name);
      for (let i = 0; i < doc.questions.length; i++) {
        await saved.nth(i).locator('.saved-load').click();
        await assertAnswerOnScreen(page, `${name}, saved question ${i + 1} (${doc.questions[i].id})`);
      }
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('after Apply, the next block and its fix are on screen too', async () => {
  const page = await open();
  try {
    await page.getByTestId('region-analytics').locator('.region-header').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
    assert.match(await page.getByTestId('blocking-step').innerText(), /PEER-ROUTE/);
    await assertAnswerOnScreen(page, 'before Apply');
    await page.getByTestId('apply-fix').first().click();
    // The route is added: whatever the answer is now, its head is in view.
    assert.doesNotMatch(await page.getByTestId('answer').innerText(), /no route for/);
    await assertAnswerOnScreen(page, 'after Apply');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a question that cannot be asked says why: no port, localhost from a host, an end deleted since it was chosen', async () => {
  const page = await open();
  try {
    const empty = page.getByTestId('answer-empty');
    await page.getByTestId('question-from').selectOption('dyno|api|worker');
    await page.getByTestId('question-to').selectOption('host|warehouse');
    await page.getByTestId('verdict').waitFor();
    // The port cleared: no stale answer for the port that was there.
    await page.getByTestId('question-port').fill('');
    assert.match(await empty.innerText(), /No port is given: enter a port from 1 to 65535/);
    assert.equal(await page.getByTestId('verdict').count(), 0);
    await page.getByTestId('question-port').fill('5432');
    await page.getByTestId('verdict').waitFor();
    // localhost is another process in the same dyno: only a dyno has one.
    await page.getByTestId('question-from').selectOption('host|warehouse');
    await page.getByTestId('question-to').selectOption('localhost');
    assert.match(await empty.innerText(), /Only a dyno can connect to localhost/);
    // The source chosen, then deleted from the network.
    await page.getByTestId('question-from').selectOption('dyno|api|worker');
    await page.getByTestId('question-to').selectOption('host|warehouse');
    await page.getByTestId('verdict').waitFor();
    await page.getByTestId('card-api').click();
    await page.getByTestId('delete-selected').click();
    assert.match(await empty.innerText(), /The source, the app “api”, is no longer in this network \(deleted or renamed\): choose another/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the question being asked survives a reload, per scenario, and never enters the document', async () => {
  const page = await open();
  try {
    const stored = () => page.evaluate(() => {
      const index = JSON.parse(localStorage.getItem('spacetrace:library'));
      return localStorage.getItem(`spacetrace:scenario:${index.current}`);
    });
    const before = await stored();
    await page.getByTestId('question-from').selectOption('dyno|billing|web');
    await page.getByTestId('question-to').selectOption('remote|ldap');
    await page.getByTestId('question-port').fill('389');
    const asked = await page.getByTestId('question-text').innerText();
    assert.match(asked, /web\.1 of acme-billing/);
    const verdict = await page.getByTestId('verdict').getAttribute('data-verdict');
    // Asking is not an edit: nothing to undo, the stored scenario unchanged.
    assert.equal(await page.getByTestId('undo').isDisabled(), true);
    assert.equal(await stored(), before);

    await page.reload();
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('question-from').inputValue(), 'dyno|billing|web');
    assert.equal(await page.getByTestId('question-to').inputValue(), 'remote|ldap');
    assert.equal(await page.getByTestId('question-port').inputValue(), '389');
    assert.equal(await page.getByTestId('question-text').innerText(), asked);
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), verdict);

    // Each scenario keeps its own: a new one starts with no question, switching back restores it.
    await page.getByTestId('scenario-menu').click();
    await page.getByTestId('library-new').click();
    await page.getByTestId('canvas-empty').waitFor();
    assert.equal(await page.getByTestId('question-from').inputValue(), '');
    await page.getByTestId('scenario-menu').click();
    await page.locator('.library-item:not(.current) [data-testid=library-open]').click();
    await page.getByTestId('card-ldap').waitFor();
    assert.equal(await page.getByTestId('question-text').innerText(), asked);
    assert.equal(await page.getByTestId('question-port').inputValue(), '389');

    // A question naming something deleted since falls back to the scenario's first saved one.
    await page.getByTestId('card-ldap').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    assert.equal(await page.getByTestId('card-ldap').count(), 0);
    await page.reload();
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('question-to').inputValue(), 'host|warehouse');
    assert.match(await page.getByTestId('question-text').innerText(), /worker\.1 of acme-api to warehouse-db/);

    // The question asked was never saved into the document.
    const questions = JSON.parse(await stored()).questions;
    assert.ok(questions.length > 0 && !questions.some((q) => q.port === 389), JSON.stringify(questions));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

const fontSize = (page) => page.getByTestId('verdict').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

/** Nothing in the top bar runs past the right edge of the window. */
async function assertTopBarFits(page, what) {
  const fits = await page.getByTestId('topbar').evaluate((bar) => {
    const right = Math.max(...[...bar.querySelectorAll('button, input, select')].map((e) => e.getBoundingClientRect().right));
    return { right, width: window.innerWidth, overflow: bar.scrollWidth - bar.clientWidth };
  });
  assert.ok(fits.right <= fits.width && fits.overflow <= 0, `${what}: ${JSON.stringify(fits)}`);
}

test('large text: a toggle in the top bar, remembered, that makes the answer larger and still fits', async () => {
  const page = await open();
  try {
    const toggle = page.getByTestId('large-text');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const normal = await fontSize(page);
    const normalTitle = await page.locator('.topbar h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const large = await fontSize(page);
    assert.ok(large >= normal * 1.2, `verdict ${normal}px → ${large}px`);
    const largeTitle = await page.locator('.topbar h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(largeTitle > normalTitle, `top bar ${normalTitle}px → ${largeTitle}px`);

    await page.reload();
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('large-text').getAttribute('aria-pressed'), 'true');
    assert.equal(await fontSize(page), large);

    // Still laid out at 1280x800 with the longest inspector open.
    await selectLargest(page, 'default');
    await assertAnswerOnScreen(page, 'large text at 1280x800');
    await assertTopBarFits(page, 'large text at 1280x800');
    await shot(page, 'large-text-vpc-selected-1280');

    await page.getByTestId('large-text').click();
    assert.equal(await fontSize(page), normal);
    await page.reload();
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('large-text').getAttribute('aria-pressed'), 'false');
    assert.equal(await fontSize(page), normal);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('at 1920x1080, with and without large text, the side panel grows and the answer stays on screen', async () => {
  const page = await open({ viewport: { width: 1920, height: 1080 } });
  try {
    await assertTopBarFits(page, '1920x1080');
    const side = page.locator('aside.side');
    const normalWidth = (await side.boundingBox()).width;
    await selectLargest(page, 'default');
    await assertAnswerOnScreen(page, '1920x1080');
    await shot(page, 'default-vpc-selected-1920');
    await page.getByTestId('large-text').click();
    const largeWidth = (await side.boundingBox()).width;
    assert.ok(largeWidth > normalWidth, `side panel ${normalWidth}px → ${largeWidth}px`);
    await assertAnswerOnScreen(page, '1920x1080, large text');
    await assertTopBarFits(page, '1920x1080, large text');
    await shot(page, 'large-text-vpc-selected-1920');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('index.html shows a loading indicator until the app starts, without inline styles', async () => {
  const html = await (await fetch(app.server.url)).text();
  assert.match(html, /id="loading"/);
  assert.match(html, /Loading Spacetrace/);
  assert.doesNotMatch(html, /<style|\sstyle=/i, 'no inline style (a strict CSP is coming)');

  const page = await newPage(app.browser);
  try {
    // Hold the WebAssembly back, as a slow link would.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(app.server.url, { waitUntil: 'commit' });
    const loading = page.getByTestId('loading');
    await loading.waitFor({ state: 'visible' });
    assert.match(await loading.innerText(), /Loading Spacetrace/);
    assert.equal(await page.getByTestId('app').count(), 0);
    const spinner = await page.locator('.loading-spinner').evaluate((el) => {
      const s = getComputedStyle(el);
      return { name: s.animationName, width: el.getBoundingClientRect().width };
    });
    assert.equal(spinner.name, 'loading-spin');
    assert.ok(spinner.width > 10);
    await shot(page, 'loading');

    release();
    await page.getByTestId('app').waitFor();
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('loading').count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
