// Lessons in a real browser: a built-in lesson opened from a link, a wrong prediction and its
// reveal, a challenge completed by editing the network and graded live, progress surviving a
// reload, the course list, and a lesson made from the open scenario's saved questions and opened
// from its link in a new page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBuild, newPage, screenshot } from './support.mjs';

const shared = releaseBuild();

const passed = (page) => page.getByTestId('challenge-summary').getAttribute('data-passed');

test('a lesson from a link: predict wrongly, see the reveal, pass the challenge by editing, progress kept', async () => {
  const page = await newPage(shared.browser);
  await page.goto(`${shared.server.url}#lesson/peering`);
  const panel = page.getByTestId('lesson-panel');
  await panel.waitFor({ timeout: 30000 });
  assert.match(await page.getByTestId('lesson-title').textContent(), /Peering/);
  assert.equal(await page.getByTestId('lesson-progress').textContent(), '0 of 3 tasks done');
  // The lesson's network opened as a new library entry; the address no longer carries the link.
  assert.equal(new URL(page.url()).hash, '');
  // The notice saying so sits over the canvas, clear of the side panel (the lesson's text) and of
  // the diagnostics bar.
  const notice = await page.getByTestId('notice').boundingBox();
  const overlaps = (a, b) => Math.min(a.x + a.width, b.x + b.width) > Math.max(a.x, b.x) && Math.min(a.y + a.height, b.y + b.height) > Math.max(a.y, b.y);
  assert.ok(!overlaps(notice, await page.locator('aside.side').boundingBox()), 'the notice covers the side panel');
  assert.ok(!overlaps(notice, await page.getByTestId('diagnostics').boundingBox()), 'the notice covers the diagnostics bar');

  // Step 2 is a prediction. Nothing is answered before the learner commits.
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('predict-task').waitFor();
  assert.equal(await page.getByTestId('question-panel').getByTestId('verdict').count(), 0, 'no verdict before the answer');
  assert.equal(await page.getByTestId('predict-reveal').count(), 0);
  assert.equal(await page.getByTestId('predict-check').isDisabled(), true, 'Check waits for an answer');
  // The wrong answer: connected.
  await page.getByTestId('predict-connected').check();
  await page.getByTestId('predict-check').click();
  const result = page.getByTestId('predict-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-right'), 'false');
  const said = await result.textContent();
  assert.match(said, /the verdict is wrong/);
  assert.match(said, /blocked by PEER-ROUTE at the route table/);
  // The trace is revealed, and the question panel now asks the question (the canvas draws it).
  const trace = page.getByTestId('predict-trace');
  assert.equal(await trace.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
  assert.equal(await trace.getByTestId('blocking-rule').first().getAttribute('data-rule'), 'PEER-ROUTE');
  assert.equal(await page.getByTestId('question-panel').getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
  assert.equal(await page.getByTestId('lesson-progress').textContent(), '1 of 3 tasks done');
  await screenshot(page, 'lesson-predict-reveal-1280');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'lesson-predict-reveal-1920');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Step 4 is a challenge, graded live.
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('challenge-task').waitFor();
  assert.equal(await passed(page), 'false');
  assert.match(await page.getByTestId('challenge-summary').textContent(), /NOT YET/);
  // A hint, one at a time.
  await page.getByTestId('lesson-hint-more').click();
  assert.equal(await page.getByTestId('lesson-hint').count(), 1);
  assert.match(await page.getByTestId('lesson-hint').first().textContent(), /PEER-ROUTE/);
  // Edit the network: ask a failing outcome and apply what the engine suggests, until it passes.
  for (let round = 0; round < 8 && (await passed(page)) !== 'true'; round++) {
    const failing = page.locator('[data-testid=challenge-outcome][data-held=false]');
    const n = await failing.count();
    let acted = false;
    for (let i = 0; i < n && !acted; i++) {
      await failing.nth(i).getByTestId('challenge-ask').click();
      const q = page.getByTestId('question-panel');
      await q.getByTestId('verdict').waitFor();
      if ((await q.getByTestId('apply-all').count()) > 0) {
        await q.getByTestId('apply-all').click();
        acted = true;
      } else if ((await q.getByTestId('apply-fix').count()) > 0) {
        await q.getByTestId('apply-fix').first().click();
        acted = true;
      }
    }
    assert.ok(acted, 'a failing outcome has a fix to apply');
  }
  assert.equal(await passed(page), 'true');
  assert.match(await page.getByTestId('challenge-summary').textContent(), /PASSED: 3 of 3 outcomes hold/);
  assert.equal(await page.locator('[data-testid=challenge-outcome][data-held=true]').count(), 3);
  assert.equal(await page.getByTestId('lesson-progress').textContent(), '2 of 3 tasks done');
  await screenshot(page, 'lesson-challenge-passed-1280');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, 'lesson-challenge-passed-1920');
  await page.setViewportSize({ width: 1280, height: 800 });
  // Undo: graded live, the challenge no longer holds.
  await page.getByTestId('undo').click();
  assert.equal(await passed(page), 'false');

  // Progress survives a reload; the course lists every lesson with it.
  await page.reload();
  await page.getByTestId('canvas').waitFor({ timeout: 30000 });
  await page.getByTestId('lessons-open').click();
  const items = page.getByTestId('lesson-item');
  await items.first().waitFor();
  assert.equal(await items.count(), 10);
  await screenshot(page, 'lesson-course-1280');
  const peering = page.locator('[data-testid=lesson-item][data-lesson=peering]');
  assert.equal(await peering.getByTestId('lesson-item-progress').textContent(), '2 of 3 tasks done');
  const first = page.locator('[data-testid=lesson-item][data-lesson=common-runtime]');
  assert.match(await first.getByTestId('lesson-item-progress').textContent(), /^0 of \d+ tasks done$/);
  await peering.click();
  await panel.waitFor();
  assert.equal(await page.getByTestId('lesson-progress').textContent(), '2 of 3 tasks done');
  assert.deepEqual(page.errors, []);
});

test('a prediction answered right, with the rule and component', async () => {
  const page = await newPage(shared.browser);
  await page.goto(`${shared.server.url}#lesson/peering`);
  await page.getByTestId('lesson-panel').waitFor({ timeout: 30000 });
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('predict-blocked').check();
  assert.equal(await page.getByTestId('predict-check').isDisabled(), true, 'a blocked answer names the rule and component');
  await page.getByTestId('predict-rule').selectOption('PEER-ROUTE');
  await page.getByTestId('predict-component').selectOption('route_table');
  await page.getByTestId('predict-check').click();
  assert.equal(await page.getByTestId('predict-result').getAttribute('data-right'), 'true');
  assert.match(await page.getByTestId('predict-result').textContent(), /Right/);
  assert.deepEqual(page.errors, []);
});

test('a lesson made from the saved questions opens from its link in a new page', async () => {
  const page = await newPage(shared.browser);
  await page.goto(shared.server.url);
  await page.getByTestId('canvas').waitFor({ timeout: 30000 });
  const saved = await page.getByTestId('saved-question').count();
  assert.ok(saved >= 2, `${saved} saved questions in the default scenario`);
  await page.getByTestId('scenario-menu').click();
  await page.getByTestId('make-lesson').click();
  const dialog = page.getByTestId('authoring');
  await dialog.getByTestId('authoring-title').fill('My first lesson');
  const uses = dialog.getByTestId('authoring-use');
  assert.equal(await uses.count(), saved);
  await uses.nth(0).selectOption('predict');
  for (let i = 1; i < saved; i++) await uses.nth(i).selectOption('leave');
  await screenshot(page, 'lesson-authoring-1280');
  await dialog.getByTestId('authoring-copy').click();
  const url = await dialog.getByTestId('authoring-link').inputValue();
  assert.match(url, /#lesson=[A-Za-z0-9_-]+$/);
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('authoring-download').click()]);
  assert.equal(download.suggestedFilename(), 'my-first-lesson.lesson.json');

  const other = await newPage(shared.browser);
  await other.goto(url);
  await other.getByTestId('lesson-panel').waitFor({ timeout: 30000 });
  assert.equal(await other.getByTestId('lesson-title').textContent(), 'My first lesson');
  assert.equal(await other.getByTestId('lesson-progress').textContent(), '0 of 1 task done');
  await other.getByTestId('predict-task').waitFor();
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('making a lesson is refused, with the reason, when there is no saved question', async () => {
  const page = await newPage(shared.browser);
  await page.goto(shared.server.url);
  await page.getByTestId('canvas').waitFor({ timeout: 30000 });
  await page.getByTestId('examples').selectOption('new');
  await page.getByTestId('scenario-menu').click();
  await page.getByTestId('make-lesson').click();
  const empty = page.getByTestId('authoring-empty');
  await empty.waitFor();
  assert.match(await empty.textContent(), /no saved questions/);
  assert.equal(await page.getByTestId('authoring-copy').count(), 0);
});

test('a damaged lesson link is refused and the open scenario stays', async () => {
  const page = await newPage(shared.browser);
  await page.goto(`${shared.server.url}#lesson/no-such-lesson`);
  await page.getByTestId('dialog-title').waitFor({ timeout: 30000 });
  assert.match(await page.getByTestId('dialog-message').textContent(), /no lesson .no-such-lesson./);
  assert.equal(await page.getByTestId('lesson-panel').count(), 0);
});
