// Import of Heroku CLI and AWS CLI output in a real browser against the release build (issue 11):
// files dropped or chosen together become one new library entry with the peering matched across
// both sides, a question crosses it, the warnings are listed first; a lone AWS file is offered
// for import rather than opened empty; a file that is neither is refused and nothing changes.
// The fixtures are the importer's own (crates/spacetrace-import/tests/fixtures), read at test
// time; the real AWS files are read in place from ../shared/data/aws when present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseBuild, newPage, screenshot, ROOT } from './support.mjs';

const app = releaseBuild();

const FIXTURES = join(ROOT, 'crates/spacetrace-import/tests/fixtures');
const SHARED_AWS = join(ROOT, '..', 'shared', 'data', 'aws');

const SPACE = 'acme-prod';
const ANALYTICS = 'vpc-0a1b2c3d4e5f60718';
const PEERING = 'pcx-0a1b2c3d4e5f60718';
const WAREHOUSE = 'i-0a1a1a1a1a1a1a1a1';

/** Every `.json` file of a folder, sorted by name, as { name, text }. */
async function filesIn(dir) {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
}

const HEROKU = await filesIn(join(FIXTURES, 'heroku'));
const AWS = await filesIn(join(FIXTURES, 'aws'));
const ALL = [...HEROKU, ...AWS];

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A fresh browser context (empty storage) on the app. */
async function open() {
  const page = await newPage(app.browser);
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  return page;
}

async function openMenu(page) {
  const button = page.getByTestId('scenario-menu');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await page.getByTestId('scenario-panel').waitFor();
}

async function closeMenu(page) {
  if ((await page.getByTestId('scenario-panel').count()) > 0) await page.getByTestId('scenario-menu').click();
}

async function libraryNames(page) {
  await openMenu(page);
  const names = await page.getByTestId('scenario-panel').locator('.library-name').allInnerTexts();
  await closeMenu(page);
  return names;
}

/** The open scenario as exported. */
async function exportJson(page) {
  await openMenu(page);
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  return readFile(await d.path(), 'utf8');
}

/** Drop files on the canvas the way a browser does: dragover, then drop, one DataTransfer. */
async function dropFiles(page, files) {
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const { name, text } of files) dt.items.add(new File([text], name, { type: 'application/json' }));
    window.__drop = dt;
    const target = document.querySelector('[data-testid=canvas]');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await page.getByTestId('drop-overlay').waitFor();
  await page.evaluate(() => {
    const target = document.querySelector('[data-testid=canvas]');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__drop, bubbles: true, cancelable: true }));
  });
}

/** Choose files with the Scenario menu's file picker (several at once). */
async function chooseFiles(page, files) {
  await page.getByTestId('import-input').setInputFiles(
    files.map(({ name, text }) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) })),
  );
}

async function activeTestId(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
}

async function ask(page, from, to, port) {
  await page.getByTestId('question-from').selectOption(from);
  await page.getByTestId('question-to').selectOption(to);
  await page.getByTestId('question-port').fill(String(port));
  await page.getByTestId('verdict').waitFor();
}

test('Heroku and AWS files dropped together open as one new scenario, the peering matched across both sides', async () => {
  const page = await open();
  try {
    const before = await exportJson(page);
    const names = await libraryNames(page);

    await dropFiles(page, ALL);
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    assert.equal(await page.getByTestId('dialog-title').innerText(), 'Import Heroku and AWS output');
    assert.equal(await page.getByTestId('import-file').count(), ALL.length, 'every file is listed');
    const kinds = await page.getByTestId('import-kind').allInnerTexts();
    assert.ok(kinds.includes('heroku spaces:info'), kinds.join(' | '));
    assert.ok(kinds.includes('aws ec2 describe-security-groups'), kinds.join(' | '));
    assert.match(await page.getByTestId('import-summary').innerText(), /1 space, .*3 VPCs/);

    // The warnings are listed before anything opens: a count, and each with its file and path.
    const warnings = page.getByTestId('import-warning');
    const count = await warnings.count();
    assert.ok(count > 3, `${count} warnings`);
    assert.match(await page.getByTestId('import-warning-count').innerText(), new RegExp(`^${count} import warnings`));
    const transit = warnings.filter({ hasText: 'transit gateway' }).first();
    assert.equal(await transit.locator('.import-file-name').innerText(), 'route-tables.json');
    assert.match(await transit.locator('.import-path').innerText(), /^RouteTables\[\d+\]\.Routes\[\d+\]$/);
    // The list scrolls inside the dialog rather than growing past the screen.
    const list = page.getByTestId('import-warnings');
    const { scroll, client } = await list.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    assert.ok(client <= 800 * 0.3 + 1 && scroll >= client, `list ${client}px tall, ${scroll}px of content`);
    // The VPN fixtures carry pre-shared keys: the person is told they were left out.
    assert.match(await page.getByTestId('import-secrets').innerText(), /pre-shared keys .*left out.* never stored/);
    // Keyboard: focus is on Open; Tab reaches Cancel.
    assert.equal(await activeTestId(page), 'import-open');
    await page.keyboard.press('Tab');
    assert.equal(await activeTestId(page), 'import-cancel');
    await screenshot(page, 'import-dialog');

    await page.getByTestId('import-open').click();
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    await page.getByTestId(`region-${ANALYTICS}`).waitFor();
    assert.equal(await page.getByTestId('scenario-name').inputValue(), `${SPACE} (imported)`);
    assert.match(await page.getByTestId('notice').innerText(), new RegExp(`^Opened \u201cacme-prod \\(imported\\)\u201d, imported from ${ALL.length} files, as a new scenario`));
    await page.getByTestId('notice-close').click();
    assert.deepEqual(await libraryNames(page), [...names, `${SPACE} (imported)`], 'a new library entry, after the others');

    // The space and the VPC are joined by the one peering both sides describe.
    const edge = page.getByTestId(`edge-${PEERING}`);
    await edge.waitFor();
    assert.deepEqual(
      [await edge.getAttribute('data-from'), await edge.getAttribute('data-to')].sort(),
      [ANALYTICS, SPACE].sort(),
    );
    assert.equal(await page.getByTestId(`region-${SPACE}`).count(), 1);

    // A question across it: the worker dynos reach the warehouse database on 5432 through the
    // peering, and not on a port its security group does not admit.
    await ask(page, 'dyno|acme-api|worker', `host|${WAREHOUSE}`, 5432);
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'connected');
    await page.getByTestId('path').waitFor();
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(200);
    await screenshot(page, 'import-network');
    await page.getByTestId('question-port').fill('22');
    await page.waitForFunction(() => document.querySelector('[data-testid=verdict]')?.dataset.verdict === 'blocked');

    // The fix comes with the AWS CLI command that makes it, naming the imported group's real ID,
    // and Copy puts exactly that on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.url });
    const commands = page.getByTestId('fix-commands').first();
    assert.equal(await commands.locator('summary').innerText(), 'AWS CLI command');
    await commands.locator('summary').click();
    const line = await commands.getByTestId('fix-command').innerText();
    assert.equal(
      line,
      "aws ec2 authorize-security-group-ingress --group-id sg-0a1a1a1a1a1a1a1a1 --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.128.0/20},{CidrIp=10.0.144.0/20}]'",
    );
    await commands.getByTestId('copy-command').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]')?.textContent.includes('Copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), line);
    await screenshot(page, 'import-fix-command');

    // The scenario that was open is untouched, in its own entry.
    await openMenu(page);
    await page.getByTestId('library-entry').first().getByTestId('library-open').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=scenario-name]').value === n, names[0]);
    assert.equal(await exportJson(page), before);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('several files chosen at once with the file picker are imported together; Cancel leaves everything as it was', async () => {
  const page = await open();
  try {
    const names = await libraryNames(page);
    await chooseFiles(page, ALL);
    await page.getByTestId('import-dialog').waitFor();
    assert.equal(await page.getByTestId('import-file').count(), ALL.length);
    assert.ok((await page.getByTestId('import-warning').count()) > 0);
    // A file can be left out before opening: the VPN outputs, and with them the secrets note.
    for (const name of ['spaces-vpn-connections.json', 'spaces-vpn-info.json', 'vpn-connections.json', 'customer-gateways.json']) {
      await page.getByTestId('import-file').filter({ hasText: name }).getByTestId('import-file-remove').click();
    }
    assert.equal(await page.getByTestId('import-file').count(), ALL.length - 4);
    assert.equal(await page.getByTestId('import-secrets').count(), 0);
    await page.getByTestId('import-cancel').click();
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    assert.deepEqual(await libraryNames(page), names, 'nothing was added');

    // Chosen again, then opened: the same one scenario.
    await chooseFiles(page, ALL);
    await page.getByTestId('import-open').click();
    await page.getByTestId(`edge-${PEERING}`).waitFor();
    assert.deepEqual(await libraryNames(page), [...names, `${SPACE} (imported)`]);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a lone describe-security-groups file is offered for import, not opened as an empty scenario', async () => {
  const page = await open();
  try {
    const before = await exportJson(page);
    const names = await libraryNames(page);
    const groups = AWS.find((f) => f.name === 'security-groups.json');
    await dropFiles(page, [groups]);
    await page.getByTestId('import-dialog').waitFor();
    assert.deepEqual(await page.getByTestId('import-kind').allInnerTexts(), ['aws ec2 describe-security-groups']);
    // Alone, its groups belong to VPCs no file describes: the warnings say so.
    assert.ok((await page.getByTestId('import-warning').filter({ hasText: 'which no file describes' }).count()) > 0);
    assert.equal(await page.getByTestId('canvas-empty').count(), 0, 'no empty scenario was opened');
    // Nothing in it can be placed alone: it is not offered to open as an empty network, and focus
    // is on adding files.
    await page.getByTestId('import-empty').waitFor();
    assert.equal(await page.getByTestId('import-open').isDisabled(), true);
    assert.equal(await activeTestId(page), 'import-files');
    await screenshot(page, 'import-offer-lone-file');

    // More files join the import while the dialog is open: dropped, and pasted.
    await dropFiles(page, [AWS.find((f) => f.name === 'vpcs.json')]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=import-file]').length === 2);
    assert.equal(await page.getByTestId('import-empty').count(), 0);
    assert.equal(await page.getByTestId('import-open').isDisabled(), false);
    // Pasting is folded away under files that were dropped.
    assert.equal(await page.getByTestId('import-paste').isVisible(), false);
    await page.getByTestId('import-paste-toggle').click();
    await page.getByTestId('import-paste').fill(AWS.find((f) => f.name === 'subnets.json').text);
    await page.waitForFunction(() => /subnets/.test(document.querySelector('[data-testid=import-summary]')?.textContent ?? ''));
    assert.match(await page.getByTestId('import-summary').innerText(), /2 VPCs \([1-9]\d* subnets/);
    await page.getByTestId('import-paste-keep').click();
    assert.equal(await page.getByTestId('import-file').count(), 3);
    assert.equal(await page.getByTestId('import-paste').inputValue(), '');
    // Something pasted that is not JSON is named as such, and nothing can be opened.
    await page.getByTestId('import-paste').fill('{"Vpcs": [');
    await page.getByTestId('import-problem').first().waitFor();
    assert.match(await page.getByTestId('import-problem').first().innerText(), /\u201cpasted text\u201d: It is not JSON/);
    assert.equal(await page.getByTestId('import-open').isDisabled(), true);

    // Escape closes the dialog and nothing changed.
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    assert.deepEqual(await libraryNames(page), names);
    assert.equal(await exportJson(page), before);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('pasting output into the import dialog from the Scenario menu opens it as a new scenario', async () => {
  const page = await open();
  try {
    const names = await libraryNames(page);
    await openMenu(page);
    await page.getByTestId('import-cli').click();
    await page.getByTestId('import-dialog').waitFor();
    await page.getByTestId('import-nothing').waitFor();
    assert.equal(await activeTestId(page), 'import-paste', 'focus is where to paste');
    assert.equal(await page.getByTestId('import-open').isDisabled(), true);
    for (const name of ['vpcs.json', 'subnets.json', 'route-tables.json']) {
      await page.getByTestId('import-paste').fill(AWS.find((f) => f.name === name).text);
      await page.getByTestId('import-paste-keep').click();
    }
    await page.getByTestId('import-paste').fill(AWS.find((f) => f.name === 'security-groups.json').text);
    await page.getByTestId('import-summary').waitFor();
    const kinds = await page.getByTestId('import-kind').allInnerTexts();
    assert.deepEqual(kinds, ['aws ec2 describe-vpcs', 'aws ec2 describe-subnets', 'aws ec2 describe-route-tables']);
    await page.getByTestId('import-open').click();
    await page.getByTestId(`region-${ANALYTICS}`).waitFor();
    assert.deepEqual(await libraryNames(page), [...names, 'Imported network']);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a file that is neither a scenario nor an output is refused with its reason; the open scenario is unchanged', async () => {
  const page = await open();
  try {
    const before = await exportJson(page);
    const names = await libraryNames(page);
    await dropFiles(page, [{ name: 'notes.json', text: '{"owner": "ops", "tickets": [1, 2]}' }]);
    assert.equal(await page.getByTestId('dialog-title').innerText(), '\u2716 The file \u201cnotes.json\u201d was not opened');
    assert.match(
      await page.getByTestId('dialog-message').innerText(),
      /^This is neither a Spacetrace scenario nor an output Spacetrace imports: it is a JSON object with the keys \u201cowner\u201d, \u201ctickets\u201d\. Spacetrace imports the JSON output of heroku spaces:info/,
    );
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('dialog-message').waitFor({ state: 'detached' });

    // Among files to import, a refused file is listed with its reason, and the rest import.
    await chooseFiles(page, [
      ...HEROKU,
      { name: 'notes.json', text: '{"owner": "ops"}' },
      { name: 'broken.json', text: '{"Vpcs": [' },
      { name: 'empty.json', text: '[]' },
    ]);
    await page.getByTestId('import-dialog').waitFor();
    const refused = await page.getByTestId('import-refused').allInnerTexts();
    assert.equal(refused.length, 2, refused.join('\n'));
    assert.match(refused[0], /notes\.json: This is neither a Spacetrace scenario nor an output/);
    assert.match(refused[1], /broken\.json: It is not JSON: EOF while parsing a list \(line 1, column 10\)\.$/);
    // An empty list among others is read (it holds nothing) and says so.
    assert.ok((await page.getByTestId('import-warning').filter({ hasText: 'empty list' }).count()) === 1);
    await page.getByTestId('import-cancel').click();
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });

    // A lone empty list is refused: there is nothing in it to import.
    await dropFiles(page, [{ name: 'empty.json', text: '[]' }]);
    assert.match(await page.getByTestId('dialog-message').innerText(), /empty list: there is nothing to import/);
    await page.getByTestId('dialog-ok').click();

    assert.deepEqual(await libraryNames(page), names, 'nothing was added to the library');
    assert.equal(await exportJson(page), before);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the real hybrid-cloud AWS files import with their VPCs shown', async (t) => {
  const dir = join(SHARED_AWS, 'hybrid-cloud-us-west-2');
  if (!(await exists(dir))) {
    const reason = `the real AWS files are not at ${dir} (the repository's sibling shared folder)`;
    console.log(`skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const files = await filesIn(dir);
  const vpcIds = JSON.parse(files.find((f) => f.name === 'Vpcs.json').text).Vpcs.map((v) => v.VpcId);
  assert.ok(vpcIds.length >= 2);
  const page = await open();
  try {
    await dropFiles(page, files);
    await page.getByTestId('import-dialog').waitFor();
    assert.equal(await page.getByTestId('import-file').count(), files.length);
    assert.equal(await page.getByTestId('import-refused').count(), 0);
    // The VPN connection's customer gateway configuration holds its keys: left out, and said.
    assert.match(await page.getByTestId('import-secrets').innerText(), /left out/);
    await page.getByTestId('import-open').click();
    for (const id of vpcIds) await page.getByTestId(`region-${id}`).waitFor();
    await page.waitForTimeout(200);
    await screenshot(page, 'import-real-hybrid-cloud');

    // The real describe-vpc-peering-connections output: both VPCs of its peering.
    const peering = await readFile(join(SHARED_AWS, 'vpc-peering-connections.json'), 'utf8');
    const pcx = JSON.parse(peering).VpcPeeringConnections[0];
    await dropFiles(page, [{ name: 'vpc-peering-connections.json', text: peering }]);
    await page.getByTestId('import-dialog').waitFor();
    await page.getByTestId('import-open').click();
    await page.getByTestId(`region-${pcx.RequesterVpcInfo.VpcId}`).waitFor();
    await page.getByTestId(`region-${pcx.AccepterVpcInfo.VpcId}`).waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
