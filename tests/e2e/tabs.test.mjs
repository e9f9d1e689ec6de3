// Two tabs on one scenario, in a real browser against the release build: every change is saved at
// once, so the second tab must learn of the other's save instead of overwriting it. It stops
// saving, and offers to reload the other tab's version (undoable) or keep its own as a copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBuild, screenshot } from './support.mjs';

const app = releaseBuild();

/** Two tabs of one browser profile (one localStorage), both on the scenario open last. */
async function twoTabs() {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const tabs = [];
  for (let i = 0; i < 2; i++) {
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') page.errors.push(`console: ${m.text()}`);
    });
    await page.goto(app.server.url);
    await page.getByTestId('canvas').waitFor();
    tabs.push(page);
  }
  return { context, a: tabs[0], b: tabs[1] };
}

async function rename(page, name) {
  await page.getByTestId('scenario-name').fill(name);
  await page.getByTestId('scenario-name').press('Enter');
}

/** The stored documents' names, by scenario key, as this tab's storage holds them. */
function storedNames(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      Object.keys(localStorage)
        .filter((k) => k.startsWith('spacetrace:scenario:'))
        .map((k) => [k, JSON.parse(localStorage.getItem(k)).name]),
    ),
  );
}

async function libraryNames(page) {
  await page.getByTestId('scenario-menu').click();
  await page.getByTestId('scenario-panel').waitFor();
  const names = await page.getByTestId('library-entry').locator('.library-name').allInnerTexts();
  await page.getByTestId('scenario-menu').click();
  return names;
}

test('a second tab learns of the other tab\u2019s save, stops saving, and keeps its own work as a copy', async () => {
  const { context, a, b } = await twoTabs();
  try {
    const start = await a.getByTestId('scenario-name').inputValue();
    assert.equal(await b.getByTestId('scenario-name').inputValue(), start, 'both tabs open the same scenario');
    await rename(a, 'Edited in tab A');
    await b.getByTestId('other-tab').waitFor();
    assert.match(await b.getByTestId('other-tab').innerText(), /^Another tab saved this scenario \(as \u201cEdited in tab A\u201d\) while it is open here/);
    // Tab B goes on editing: nothing it does overwrites A's save while the question is open.
    await rename(b, 'Edited in tab B');
    await b.waitForFunction(() => document.getElementById('save-status')?.dataset.state === 'held');
    assert.deepEqual(Object.values(await storedNames(a)), ['Edited in tab A']);
    await screenshot(b, 'tabs-other-tab');

    await b.getByTestId('other-tab-keep').click();
    await b.getByTestId('other-tab').waitFor({ state: 'detached' });
    assert.equal(await b.getByTestId('scenario-name').inputValue(), 'Edited in tab B (copy)');
    await b.waitForFunction(() => document.getElementById('save-status')?.dataset.state === 'saved');
    assert.deepEqual(Object.values(await storedNames(b)).sort(), ['Edited in tab A', 'Edited in tab B (copy)']);
    assert.deepEqual(await libraryNames(b), ['Edited in tab A', 'Edited in tab B (copy)']);
    // Tab A learns of the new entry, and nothing asks it anything: its scenario was not touched.
    let names = [];
    for (let i = 0; i < 20 && names.length < 2; i++) {
      names = await libraryNames(a);
      if (names.length < 2) await a.waitForTimeout(100);
    }
    assert.deepEqual(names, ['Edited in tab A', 'Edited in tab B (copy)']);
    assert.equal(await a.getByTestId('other-tab').count(), 0);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await context.close();
  }
});

test('reloading the other tab\u2019s version is one undoable edit, and a tab that did not change anything is not asked twice', async () => {
  const { context, a, b } = await twoTabs();
  try {
    await rename(b, 'Mine in tab B');
    await a.getByTestId('other-tab').waitFor();
    await a.getByTestId('other-tab-reload').click();
    await a.getByTestId('other-tab').waitFor({ state: 'detached' });
    assert.equal(await a.getByTestId('scenario-name').inputValue(), 'Mine in tab B');
    // A saves what it reloaded; B gets its own content back and has nothing to ask.
    await a.waitForFunction(() => document.getElementById('save-status')?.dataset.state === 'saved');
    await b.waitForTimeout(300);
    assert.equal(await b.getByTestId('other-tab').count(), 0);
    // Undo in A brings back A's own version, and saving it is now A's choice: B is asked.
    await a.getByTestId('undo').click();
    assert.notEqual(await a.getByTestId('scenario-name').inputValue(), 'Mine in tab B');
    await b.getByTestId('other-tab').waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await context.close();
  }
});
