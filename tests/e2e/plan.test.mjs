// Every blocker, one plan (issue 10, item 11), in a real browser against the release build: a
// question blocked by several things shows every later blocker and one plan; "Apply all" applies
// the whole plan as one step to undo; a step no configuration passes is said instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBuild, newPage, screenshot } from './support.mjs';

const app = releaseBuild();

async function open() {
  const page = await newPage(app.browser);
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  await page.getByTestId('examples').selectOption('limits');
  await page.getByTestId('verdict').waitFor();
  return page;
}

/** Ask a question from the panel's lists (the port follows the destination). */
async function ask(page, from, to) {
  await page.getByTestId('question-from').selectOption(from);
  await page.getByTestId('question-to').selectOption(to);
  await page.getByTestId('verdict').waitFor();
}

/** Whether an element lies wholly inside the 1280x800 viewport, uncovered. */
async function onScreen(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const inside = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return inside && hit !== null && (hit === el || el.contains(hit));
  });
}

const verdict = (page) => page.getByTestId('verdict').getAttribute('data-verdict');
const rules = (locator) => locator.evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));

test('a question blocked by three things: the plan, Apply all, and one undo brings the first blocker back', async () => {
  const page = await open();
  try {
    // retail-sync's worker to analytics-db: no peering, then no route back, then no group rule.
    await ask(page, 'dyno|sync|worker', 'host|analytics-db');
    assert.equal(await page.getByTestId('question-port').inputValue(), '5432');
    assert.equal(await verdict(page), 'blocked');
    assert.match(await page.getByTestId('blocking-step').locator('.blocking-text').innerText(), /PEER-ACCEPTED/);
    const plan = page.getByTestId('plan');
    await plan.waitFor();
    assert.deepEqual(await rules(page.getByTestId('plan-blocker')), ['PEER-ROUTE', 'PEER-SECURITY-GROUP']);
    assert.match(await plan.innerText(), /Also blocking once that is fixed:/);
    assert.match(await page.getByTestId('plan-blocker').first().innerText(), /hop 3, route table rtb-analytics: rtb-analytics has no route/);
    const fixes = page.getByTestId('plan-fix');
    assert.equal(await fixes.count(), 3);
    assert.match(await fixes.nth(0).innerText(), /Peer analytics-vpc with retail-edge/);
    assert.match(await fixes.nth(1).innerText(), /Add the route 10\.2\.0\.0\/16 → pcx-analytics to rtb-analytics/);
    assert.match(await fixes.nth(2).innerText(), /Add an inbound rule to sg-analytics/);
    assert.equal(await page.getByTestId('plan-outcome').getAttribute('data-outcome'), 'connects');
    assert.match(await page.getByTestId('plan-outcome').innerText(), /Applied together, in this order, these 3 changes connect the question\./);
    // The head of the answer stays in view with the plan under it.
    for (const id of ['verdict', 'apply-fix', 'apply-all']) {
      assert.ok(await onScreen(page.getByTestId(id).first()), `${id} is on screen at 1280x800`);
    }
    assert.ok(await onScreen(page.getByTestId('blocking-step').locator('.blocking-text')), 'the blocking step is on screen');
    await screenshot(page, 'plan-blocked-1280');

    // Apply all: the question connects, and the peering the plan created is drawn.
    await page.getByTestId('apply-all').click();
    assert.equal(await verdict(page), 'connected');
    await page.getByTestId('edge-pcx-analytics').waitFor();
    assert.equal(await page.getByTestId('plan').count(), 0);
    await screenshot(page, 'plan-applied-1280');

    // One undo takes the whole plan back: blocked again, by the first blocker, with its plan.
    await page.keyboard.press('Control+z');
    assert.equal(await verdict(page), 'blocked');
    assert.match(await page.getByTestId('blocking-step').locator('.blocking-text').innerText(), /PEER-ACCEPTED/);
    assert.equal(await page.getByTestId('edge-pcx-analytics').count(), 0);
    assert.equal(await page.getByTestId('plan-fix').count(), 3);
    // And one redo applies it again.
    await page.getByTestId('redo').click();
    assert.equal(await verdict(page), 'connected');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a step no configuration passes is said instead of Apply all', async () => {
  const page = await open();
  try {
    // retail-orders to the store network: no VPN yet, and its routable CIDR overlaps the space.
    await ask(page, 'dyno|orders|web', 'remote|pos-server');
    assert.equal(await verdict(page), 'blocked');
    await page.getByTestId('plan').waitFor();
    assert.deepEqual(await rules(page.getByTestId('plan-blocker')), ['VPN-NO-OVERLAP']);
    assert.equal(await page.getByTestId('plan-fix').count(), 1);
    assert.match(await page.getByTestId('plan').innerText(), /Plan, as far as it goes:/);
    const outcome = page.getByTestId('plan-outcome');
    assert.equal(await outcome.getAttribute('data-outcome'), 'stuck');
    assert.match(await outcome.innerText(), /No configuration passes hop 2, VPN tunnel VPN to Store network\. Renumber Store network so that it does not overlap the space\.\s*VPN-NO-OVERLAP/);
    assert.equal(await page.getByTestId('apply-all').count(), 0);
    await screenshot(page, 'plan-stuck-1280');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
