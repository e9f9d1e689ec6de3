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

/** The open scenario as autosaved in this browser. */
async function stored(page) {
  return page.evaluate(() => {
    const index = JSON.parse(localStorage.getItem('spacetrace:library'));
    return JSON.parse(localStorage.getItem(`spacetrace:scenario:${index.current}`));
  });
}

/** Wait for autosave to hold a document that passes `ok`. */
async function storedWhen(page, ok, what) {
  for (let i = 0; i < 50; i++) {
    const doc = await stored(page);
    if (ok(doc)) return doc;
    await page.waitForTimeout(50);
  }
  assert.fail(`autosave never showed ${what}`);
}

test('AWS as it behaves, in the inspector: the main route table, a group allowing all outbound, rules naming groups and prefix lists, and prefix lists edited', async () => {
  const page = await open();
  try {
    await page.getByTestId('examples').selectOption('aws');
    await page.getByTestId('region-core').waitFor();
    const initial = await stored(page);
    const core = (doc) => doc.vpcs.find((v) => v.id === 'core');
    const group = (doc, id) => core(doc).security_groups.find((g) => g.id === id);
    await page.getByTestId('region-core').locator('.region-header').click();

    // The main route table, and subnets that name none use it.
    assert.equal(await page.getByTestId('vpc-main-rt').inputValue(), 'rtb-0main');
    const data = page.getByTestId('subnet-rt-subnet-0data');
    assert.equal(await data.inputValue(), '');
    assert.equal(await data.locator('option:checked').innerText(), 'main route table (rtb-0main)');
    assert.equal(await page.getByTestId('subnet-rt-subnet-0office').inputValue(), 'rtb-0office');
    assert.match(await page.locator('label[for=field-routes-rtb-0main]').innerText(), /the main route table/);
    await page.getByTestId('subnet-rt-subnet-0office').selectOption('');
    let doc = await storedWhen(page, (d) => core(d).subnets[1].route_table === '', 'the office subnet on the main table');
    assert.equal(core(doc).main_route_table, 'rtb-0main');
    await page.getByTestId('vpc-main-rt').selectOption('rtb-0office');
    doc = await storedWhen(page, (d) => core(d).main_route_table === 'rtb-0office', 'another main route table');
    assert.equal(await page.getByTestId('subnet-rt-subnet-0data').locator('option:checked').innerText(), 'main route table (rtb-0office)');

    // A group created without outbound rules allows all outbound traffic; it can list rules and back.
    const allOut = page.getByTestId('sg-out-all-sg-0db');
    assert.equal(await allOut.isChecked(), true);
    assert.match(await page.getByTestId('sg-out-default-sg-0db').innerText(), /all traffic to anywhere/);
    assert.equal(await page.getByTestId('sg-out-sg-0db').count(), 0);
    assert.equal(await page.getByTestId('sg-out-all-sg-0app').isChecked(), false);
    assert.equal(await page.getByTestId('sg-out-sg-0app').inputValue(), '');
    await allOut.uncheck();
    assert.equal(await page.getByTestId('sg-out-sg-0db').inputValue(), 'all all to 0.0.0.0/0');
    doc = await storedWhen(page, (d) => Array.isArray(group(d, 'sg-0db').outbound), 'a listed outbound rule');
    assert.deepEqual(group(doc, 'sg-0db').outbound, [{ protocol: 'all', ports: 'all', cidr: '0.0.0.0/0' }]);
    await page.getByTestId('sg-out-all-sg-0db').check();
    await page.getByTestId('sg-out-default-sg-0db').waitFor();
    doc = await storedWhen(page, (d) => !('outbound' in group(d, 'sg-0db')), 'no outbound list again');

    // Rules name a CIDR block, a security group or a prefix list; anything else is explained.
    const inbound = page.getByTestId('sg-in-sg-0db');
    assert.equal(await inbound.inputValue(), 'tcp 5432 from pl-0dynos\ntcp 5432 from sg-0etl');
    const before = JSON.stringify(await stored(page));
    await inbound.fill('tcp 5432 from pl-0dynos\ntcp 5432 from web');
    assert.equal(await inbound.getAttribute('aria-invalid'), 'true');
    assert.equal(
      await page.getByTestId('sg-in-sg-0db-error').innerText(),
      '\u2716 Line 2: \u201cweb\u201d is not a CIDR block (10.0.0.0/16), a security group ID (sg-\u2026) or a prefix list ID (pl-\u2026).',
    );
    await inbound.blur();
    await page.waitForTimeout(200);
    assert.equal(JSON.stringify(await stored(page)), before, 'an invalid rule list is not saved');
    await inbound.fill('tcp 5432 from pl-0dynos\ntcp 5432 from sg-0etl\ntcp 5432 from sg-0app');
    await inbound.blur();
    doc = await storedWhen(page, (d) => group(d, 'sg-0db').inbound.length === 3, 'a rule naming a group');
    assert.equal(group(doc, 'sg-0db').inbound[2].cidr, 'sg-0app');

    // Prefix lists: seen and edited beside the groups that name them.
    assert.equal(await page.getByTestId('prefix-list-entries-pl-0dynos').inputValue(), '10.0.128.0/20\n10.0.144.0/20');
    assert.equal(await page.getByTestId('prefix-list-users-pl-0dynos').innerText(), 'Named by sg-0db, sg-0sync.');
    const entries = page.getByTestId('prefix-list-entries-pl-0dynos');
    const unchanged = JSON.stringify(await stored(page));
    await entries.fill('10.0.128.0/20\n10.0.144.0/33');
    assert.equal(await entries.getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByTestId('prefix-list-entries-pl-0dynos-error').innerText(), /prefix length \u201c33\u201d must be a whole number from 0 to 32/);
    await entries.blur();
    await page.waitForTimeout(200);
    assert.equal(JSON.stringify(await stored(page)), unchanged, 'an invalid entry is not saved');
    await entries.fill('10.0.128.0/20\n10.0.144.0/20\n10.0.160.0/20');
    await entries.blur();
    doc = await storedWhen(page, (d) => d.prefix_lists[0].entries.length === 3, 'a third entry');

    const id = page.getByTestId('prefix-list-id-pl-0dynos');
    await id.fill('sg-0db');
    assert.match(await page.getByTestId('prefix-list-id-pl-0dynos-error').innerText(), /ID starting with pl-/);
    await id.fill('pl-0dynos ranges');
    assert.match(await page.getByTestId('prefix-list-id-pl-0dynos-error').innerText(), /has a space in it/);
    await id.fill('pl-0dynos');
    await page.getByTestId('add-prefix-list').click();
    await page.getByTestId('prefix-list-id-pl-2').waitFor();
    const renamed = page.getByTestId('prefix-list-id-pl-2');
    await renamed.fill('pl-0dynos');
    assert.match(await page.getByTestId('prefix-list-id-pl-2-error').innerText(), /\u201cpl-0dynos\u201d is already the ID of another object/);
    await renamed.fill('pl-0office');
    await renamed.press('Enter');
    await page.getByTestId('prefix-list-id-pl-0office').waitFor();
    await page.getByTestId('prefix-list-id-pl-0dynos').fill('pl-0heroku');
    await page.getByTestId('prefix-list-id-pl-0dynos').press('Enter');
    await page.getByTestId('prefix-list-entries-pl-0heroku').waitFor();
    assert.match(await page.getByTestId('sg-in-sg-0db').inputValue(), /^tcp 5432 from pl-0heroku\n/);
    doc = await storedWhen(page, (d) => d.prefix_lists[0].id === 'pl-0heroku', 'the renamed list');
    assert.equal(group(doc, 'sg-0sync').inbound[0].cidr, 'pl-0heroku', 'the rules that named it follow');
    assert.deepEqual(doc.prefix_lists.map((p) => p.id), ['pl-0heroku', 'pl-0office']);
    // The renamed list is still named: the checker finds no rule naming nothing.
    assert.equal(await page.locator('.diag-toggle .count.errors').innerText(), '\u2716 0');
    await page.getByTestId('prefix-list-pl-0heroku').scrollIntoViewIfNeeded();
    await screenshot(page, 'inspector-aws-prefix-lists');
    await page.getByTestId('vpc-main-rt').scrollIntoViewIfNeeded();
    await screenshot(page, 'inspector-aws-main-route-table');
    await page.getByTestId('sg-out-all-sg-0db').scrollIntoViewIfNeeded();
    await screenshot(page, 'inspector-aws-security-groups');

    // A security group's gate shows the prefix lists its rules name.
    await page.getByTestId('gate-sg-0sync').click();
    await page.getByTestId('inspector-focus').waitFor();
    assert.equal(await page.getByTestId('prefix-list-entries-pl-0heroku').count(), 1);
    assert.equal(await page.getByTestId('prefix-list-pl-0office').count(), 0);
    assert.equal(await page.getByTestId('add-prefix-list').count(), 0);
    await screenshot(page, 'inspector-aws-gate-sg');

    // Every change was one edit: nine undos take them all back (a tenth, opening the example).
    for (let i = 0; i < 9; i++) await page.getByTestId('undo').click();
    await storedWhen(page, (d) => JSON.stringify(d) === JSON.stringify(initial), 'the example as it was');
    await page.getByTestId('undo').click();
    await page.getByTestId('region-acme-prod').waitFor();
    assert.equal(await page.getByTestId('undo').isDisabled(), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
