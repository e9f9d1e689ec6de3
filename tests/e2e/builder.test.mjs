// Journeys a teacher makes in front of a room, in a real browser against the release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBuild, newPage, screenshot } from './support.mjs';

const app = releaseBuild();

async function open() {
  const page = await newPage(app.browser);
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  return page;
}

async function newEmptyNetwork(page) {
  await page.getByTestId('examples').selectOption('new');
  await page.getByTestId('canvas-empty').waitFor();
}

test('the default example loads with a first question answered', async () => {
  const page = await open();
  try {
    await page.getByTestId('region-acme-prod').waitFor();
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
    assert.match(await page.getByTestId('question-text').innerText(), /worker\.1 of acme-api to warehouse-db/);
    // The blocking hop names its rule, the path is drawn with a blocking marker.
    const blocked = page.locator('.hop.blocked');
    assert.match(await blocked.innerText(), /PEER-ROUTE/);
    await page.getByTestId('path-block').waitFor();
    // Saved questions are answered live, all as expected.
    assert.equal(await page.getByTestId('saved-question').count(), 7);
    assert.equal(await page.locator('.expect.bad').count(), 0);
    // A rule chip opens the rule's explanation with its source article.
    await page.locator('[data-testid=rule-chip][data-rule=PEER-ROUTE]').first().click();
    const card = page.getByTestId('rule-card');
    assert.match(await card.innerText(), /route table of the subnet involved must route the space CIDR/);
    assert.match(await card.innerText(), /Private Space Peering/);
    await screenshot(page, 'default-scenario');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a teacher builds a Cedar space, peers a VPC, and fixes the route it lacks', async () => {
  const page = await open();
  try {
    await newEmptyNetwork(page);
    await page.getByTestId('add-cedar-space').click();
    await page.getByTestId('region-space-1').waitFor();
    // The new space is selected: add two apps to it from its inspector.
    await page.getByTestId('space-add-app').click();
    await page.getByTestId('card-app-1').waitFor();
    await page.getByTestId('region-space-1').locator('.region-header').click();
    await page.getByTestId('space-add-app').click();
    await page.getByTestId('card-app-2').waitFor();
    await page.getByTestId('add-vpc').click();
    await page.getByTestId('region-vpc-1').waitFor();
    await page.getByTestId('vpc-add-host').click();
    await page.getByTestId('card-host-1').waitFor();
    // Attach: one click in the VPC's inspector creates the peering, drawn as an edge.
    await page.getByTestId('region-vpc-1').locator('.region-header').click();
    await page.getByTestId('peer-space-space-1').click();
    await page.getByTestId('edge-pcx-vpc-1').waitFor();
    assert.match(await page.getByTestId('edge-pcx-vpc-1').textContent(), /pcx-vpc-1/);

    // Ask: from app-1's web dyno to the host on 5432.
    await page.getByTestId('question-from').selectOption('dyno|app-1|web');
    await page.getByTestId('question-to').selectOption('host|host-1');
    assert.equal(await page.getByTestId('question-port').inputValue(), '5432');
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
    assert.match(await page.locator('.hop.blocked').innerText(), /PEER-ROUTE/);
    assert.match(await page.getByTestId('suggestion').first().innerText(), /Add the route 10\.0\.0\.0\/16 → pcx-vpc-1 to rtb-vpc-1/);
    await screenshot(page, 'builder-blocked-route');

    // Apply the suggested route; the next block (if any) moves on, and applying again connects.
    await page.getByTestId('apply-fix').first().click();
    assert.doesNotMatch(await page.locator('.trace').innerText(), /PEER-ROUTE\s*\n?.*no route/);
    for (let i = 0; i < 3; i++) {
      if ((await page.getByTestId('verdict').getAttribute('data-verdict')) === 'connected') break;
      await page.getByTestId('apply-fix').first().click();
    }
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'connected');
    assert.match(await page.getByTestId('seen-as').innerText(), /10\.0\.128\.\d+ \(the dyno's private address\)/);
    await page.getByTestId('path-stop-1').waitFor();
    assert.equal(await page.getByTestId('path-block').count(), 0);
    await screenshot(page, 'builder-connected');

    // Undo takes the last fix back; the answer follows at once.
    await page.getByTestId('undo').click();
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
    await page.keyboard.press('Control+Shift+Z');
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'connected');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('peering a Fir space is refused at the gesture, with the rule', async () => {
  const page = await open();
  try {
    await newEmptyNetwork(page);
    await page.getByTestId('add-fir-space').click();
    await page.getByTestId('region-space-1').waitFor();
    assert.equal(await page.getByTestId('region-space-1').getAttribute('data-region-kind'), 'fir');
    await page.getByTestId('add-vpc').click();
    await page.getByTestId('region-vpc-1').waitFor();
    await page.getByTestId('region-space-1').locator('.region-header').click();
    await page.getByTestId('peer-with-vpc-1').click();
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /The platform refuses this/);
    assert.match(await notice.innerText(), /VPC peering is not available for Fir spaces/);
    const rules = await page.getByTestId('notice-rule').allInnerTexts();
    assert.deepEqual(rules, ['PEER-CEDAR-ONLY', 'FIR-UNAVAILABLE']);
    // Nothing was created.
    assert.equal(await page.locator('[data-testid^=edge-]').count(), 0);
    await screenshot(page, 'fir-peering-refused');

    // Custom trusted IPs on Fir are refused the same way.
    await page.getByTestId('notice-close').click();
    await page.getByTestId('space-trusted').fill('198.51.100.0/24');
    await page.getByTestId('space-trusted').blur();
    await notice.waitFor();
    assert.deepEqual(await page.getByTestId('notice-rule').allInnerTexts(), ['TIP-FIR', 'FIR-UNAVAILABLE']);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('bad input is marked and explained in the inspector, never saved', async () => {
  const page = await open();
  try {
    await page.getByTestId('region-analytics').locator('.region-header').click();
    const cidr = page.getByTestId('vpc-cidr');
    await cidr.fill('10.300.0.0/16');
    assert.equal(await cidr.getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByTestId('vpc-cidr-error').innerText(), /“10\.300\.0\.0” is not an IPv4 or IPv6 address/);
    await cidr.press('Enter');
    await page.getByTestId('question-port').click();
    // Nothing changed: the VPC still shows its CIDR and undo has nothing to take back.
    assert.match(await page.getByTestId('region-analytics').textContent(), /10\.100\.0\.0\/16/);
    assert.equal(await page.getByTestId('undo').isDisabled(), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('keyboard: Tab to a card, Delete removes it, Ctrl+Z brings it back, arrows nudge', async () => {
  const page = await open();
  try {
    await page.getByTestId('card-ldap').focus();
    await page.keyboard.press('Enter');
    assert.match(await page.getByTestId('inspector-title').innerText(), /ldap-server/);
    await page.keyboard.press('Delete');
    assert.equal(await page.getByTestId('card-ldap').count(), 0);
    await page.keyboard.press('Control+z');
    await page.getByTestId('card-ldap').waitFor();
    // Nudge the head-office region right with the arrow keys: one step each.
    await page.getByTestId('region-hq').locator('.region-header').focus();
    const before = await page.getByTestId('region-hq').locator('.region-box').getAttribute('x');
    await page.keyboard.press('ArrowRight');
    const after = await page.getByTestId('region-hq').locator('.region-box').getAttribute('x');
    assert.equal(Number(after) - Number(before), 10);
    await page.keyboard.press('Escape');
    assert.match(await page.getByTestId('inspector').innerText(), /Select something on the canvas/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('picking on the canvas sets the question', async () => {
  const page = await open();
  try {
    await page.getByTestId('pick-from').click();
    await page.getByTestId('card-marketing').click();
    await page.getByTestId('pick-to').click();
    await page.getByTestId('card-partner-api').click();
    assert.match(await page.getByTestId('question-text').innerText(), /web\.1 of acme-marketing to Partner API/);
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
    assert.match(await page.locator('.hop.blocked').innerText(), /CR-OUTBOUND/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('hiding the palette gives the canvas more room, for a projector', async () => {
  const page = await open();
  try {
    // The palette runs along the top of the canvas, so the canvas keeps the width.
    const before = await page.getByTestId('canvas').boundingBox();
    assert.ok(before.width >= 880, `canvas ${before.width}px wide at 1280x800`);
    await page.getByTestId('palette-toggle').click();
    assert.equal(await page.getByTestId('palette').isVisible(), false);
    const after = await page.getByTestId('canvas').boundingBox();
    assert.ok(after.height > before.height + 30, `canvas ${before.height}px → ${after.height}px tall`);
    await screenshot(page, 'palette-hidden');
    await page.getByTestId('palette-toggle').click();
    await page.getByTestId('palette').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
