// Persistence and sharing in a real browser against the release build: autosave and the library,
// undo and redo, files (good, bad and hostile), share links, and pictures for slides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseBuild, newPage, screenshot, ROOT, SCREENSHOTS } from './support.mjs';

const app = releaseBuild();

const DEFAULT_JSON = await readFile(join(ROOT, 'scenarios/default.json'), 'utf8');
const EXAMPLES = ['default', 'common-runtime', 'private-space', 'trusted-ips', 'internal-routing', 'peering', 'vpn', 'aws', 'fir', 'limits'];

/** A fresh browser context (empty storage) on `url`. Alert-style dialogs are recorded, not accepted. */
async function open(url = app.server.url) {
  const page = await newPage(app.browser);
  page.alerts = [];
  page.on('dialog', async (d) => {
    page.alerts.push(d.message());
    await d.dismiss();
  });
  await page.goto(url);
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

/** Click a menu item that starts a download; the downloaded bytes and file name. */
async function download(page, testId) {
  await openMenu(page);
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { bytes: await readFile(await d.path()), name: d.suggestedFilename() };
}

async function exportJson(page) {
  return (await download(page, 'export-json')).bytes;
}

async function libraryNames(page) {
  await openMenu(page);
  const names = await page.getByTestId('scenario-panel').locator('.library-name').allInnerTexts();
  await closeMenu(page);
  return names;
}

function libraryRow(page, name) {
  return page.getByTestId('library-entry').filter({ has: page.locator('.library-name', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) }) });
}

async function importFile(page, name, content) {
  await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

/** Drop a file on the canvas the way a browser does: dragover, then drop, with a DataTransfer. */
async function dropFile(page, name, text) {
  await page.evaluate(({ name, text }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    window.__drop = dt;
    const target = document.querySelector('[data-testid=canvas]');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name, text });
  await page.getByTestId('drop-overlay').waitFor();
  await page.evaluate(() => {
    const target = document.querySelector('[data-testid=canvas]');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__drop, bubbles: true, cancelable: true }));
  });
}

async function newEmptyNetwork(page) {
  await page.getByTestId('examples').selectOption('new');
  await page.getByTestId('canvas-empty').waitFor();
}

test('autosave: a reload keeps the work; the library creates, renames, duplicates and deletes with confirmation', async () => {
  const page = await open();
  try {
    // Work: rename, add a space, delete a card.
    await page.getByTestId('scenario-name').fill('Lesson 1');
    await page.getByTestId('scenario-name').press('Enter');
    await page.getByTestId('add-cedar-space').click();
    await page.getByTestId('region-space-2').waitFor();
    await page.getByTestId('card-ldap').click();
    await page.keyboard.press('Delete');
    assert.equal(await page.getByTestId('card-ldap').count(), 0);
    assert.match(await page.getByTestId('save-status').innerText(), /Saved/);
    const before = await exportJson(page);

    await page.reload();
    await page.getByTestId('region-space-2').waitFor();
    assert.equal(await page.getByTestId('card-ldap').count(), 0);
    assert.equal(await page.getByTestId('scenario-name').inputValue(), 'Lesson 1');
    assert.deepEqual(await exportJson(page), before, 'the reloaded scenario is byte for byte the one saved');
    assert.deepEqual(await libraryNames(page), ['Lesson 1']);

    // New: a second scenario; the first stays in the library.
    await openMenu(page);
    await page.getByTestId('library-new').click();
    await page.getByTestId('canvas-empty').waitFor();
    assert.deepEqual(await libraryNames(page), ['Lesson 1', 'Untitled network']);

    // Rename the one that is not open.
    await openMenu(page);
    await libraryRow(page, 'Lesson 1').getByTestId('library-rename').click();
    await page.getByTestId('rename-input').fill('Lesson one');
    await page.getByTestId('rename-input').press('Enter');
    assert.deepEqual(await libraryNames(page), ['Lesson one', 'Untitled network']);

    // Duplicate it: the copy opens, with the work in it.
    await openMenu(page);
    await libraryRow(page, 'Lesson one').getByTestId('library-duplicate').click();
    await page.getByTestId('region-space-2').waitFor();
    assert.equal(await page.getByTestId('scenario-name').inputValue(), 'Lesson one (copy)');
    assert.deepEqual(await libraryNames(page), ['Lesson one', 'Lesson one (copy)', 'Untitled network']);

    // Delete asks first; Cancel keeps it.
    await openMenu(page);
    await libraryRow(page, 'Untitled network').getByTestId('library-delete').click();
    assert.equal(await page.getByTestId('dialog-title').innerText(), 'Delete \u201cUntitled network\u201d?');
    await screenshot(page, 'library-delete-confirm');
    // The safe choice has the focus: Enter cancels.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'delete-cancel');
    await page.keyboard.press('Enter');
    await page.getByTestId('dialog-title').waitFor({ state: 'detached' });
    assert.deepEqual(await libraryNames(page), ['Lesson one', 'Lesson one (copy)', 'Untitled network']);
    await openMenu(page);
    await libraryRow(page, 'Untitled network').getByTestId('library-delete').click();
    await page.getByTestId('delete-confirm').click();
    assert.deepEqual(await libraryNames(page), ['Lesson one', 'Lesson one (copy)']);

    // All of it survives a reload; the scenario open last opens again.
    await page.reload();
    await page.getByTestId('region-space-2').waitFor();
    assert.equal(await page.getByTestId('scenario-name').inputValue(), 'Lesson one (copy)');
    assert.deepEqual(await libraryNames(page), ['Lesson one', 'Lesson one (copy)']);
    await openMenu(page);
    await screenshot(page, 'library-menu');
    await libraryRow(page, 'Lesson one').getByTestId('library-open').click();
    assert.equal(await page.getByTestId('scenario-name').inputValue(), 'Lesson one');
    await page.getByTestId('region-space-2').waitFor();

    // Deleting the open scenario opens its neighbour.
    await openMenu(page);
    await libraryRow(page, 'Lesson one').getByTestId('library-delete').click();
    await page.getByTestId('delete-confirm').click();
    assert.equal(await page.getByTestId('scenario-name').inputValue(), 'Lesson one (copy)');
    assert.deepEqual(await libraryNames(page), ['Lesson one (copy)']);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('when the browser refuses to store, the top bar says the work is not saved', async () => {
  const page = await open();
  try {
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]').dataset.state === 'saved');
    await page.evaluate(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await page.getByTestId('add-vpc').click();
    const status = page.getByTestId('save-status');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]').dataset.state === 'failed');
    assert.match(await status.innerText(), /Not saved/);
    assert.match(await status.getAttribute('title'), /Export it as a file/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the Scenario menu works from the keyboard', async () => {
  const page = await open();
  try {
    await page.getByTestId('scenario-menu').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('scenario-panel').waitFor();
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'export-json');
    // Tab walks the menu; Escape closes it and gives focus back to the button.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share-link');
    await page.keyboard.press('Escape');
    await page.getByTestId('scenario-panel').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'scenario-menu');
    // Share from the keyboard; Escape closes the dialog.
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'export-json');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('share-url').waitFor();
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'share-copy');
    await page.keyboard.press('Escape');
    await page.getByTestId('share-url').waitFor({ state: 'detached' });
    // With the dialog gone, shortcuts work again and nothing was changed.
    assert.equal(await page.getByTestId('undo').isDisabled(), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

/** What the canvas shows of the scenario built in the undo test. */
async function state(page) {
  const box = page.getByTestId('region-vpc-1').locator('.region-box');
  return {
    space: await page.getByTestId('region-space-1').count(),
    vpc: await page.getByTestId('region-vpc-1').count(),
    x: (await box.count()) ? Number(await box.getAttribute('x')) : null,
    y: (await box.count()) ? Number(await box.getAttribute('y')) : null,
    edge: await page.getByTestId('edge-pcx-vpc-1').count(),
    host: await page.getByTestId('card-host-1').count(),
  };
}

test('undo and redo: add, move (a whole drag), attach and delete are one step each; selection and view are none', async () => {
  const page = await open();
  try {
    await newEmptyNetwork(page);
    const states = [await state(page)];
    await page.getByTestId('add-cedar-space').click();
    await page.getByTestId('region-space-1').waitFor();
    states.push(await state(page));
    await page.getByTestId('add-vpc').click();
    await page.getByTestId('region-vpc-1').waitFor();
    states.push(await state(page));

    // A drag with many pointer moves.
    const header = await page.getByTestId('region-vpc-1').locator('.region-header').boundingBox();
    const [x, y] = [header.x + header.width / 2, header.y + header.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(x + i * 12, y + i * 7);
    await page.mouse.up();
    states.push(await state(page));
    assert.notEqual(states[3].x, states[2].x, 'the drag moved the VPC');

    // Attach: peer the VPC to the space.
    await page.getByTestId('region-vpc-1').locator('.region-header').click();
    await page.getByTestId('peer-space-space-1').click();
    await page.getByTestId('edge-pcx-vpc-1').waitFor();
    states.push(await state(page));
    await page.getByTestId('region-vpc-1').locator('.region-header').click();
    await page.getByTestId('vpc-add-host').click();
    await page.getByTestId('card-host-1').waitFor();
    states.push(await state(page));
    // Delete.
    await page.getByTestId('card-host-1').click();
    await page.keyboard.press('Delete');
    states.push(await state(page));
    assert.equal(states[6].host, 0);

    // Selection and view changes are not steps.
    await page.getByTestId('region-space-1').locator('.region-header').click();
    await page.getByTestId('zoom-in').click();
    await page.getByTestId('zoom-out').click();
    await page.keyboard.press('Escape');

    for (let i = states.length - 2; i >= 0; i--) {
      if (i % 2) await page.getByTestId('undo').click();
      else await page.keyboard.press('Control+z');
      assert.deepEqual(await state(page), states[i], `undo back to step ${i}`);
    }
    // The empty network was opened over the unchanged default example as one step too.
    await page.keyboard.press('Control+z');
    await page.getByTestId('region-acme-prod').waitFor();
    assert.equal(await page.getByTestId('undo').isDisabled(), true);

    await page.keyboard.press('Control+Shift+Z');
    await page.getByTestId('canvas-empty').waitFor();
    for (let i = 1; i < states.length; i++) {
      if (i % 3 === 0) await page.getByTestId('redo').click();
      else if (i % 3 === 1) await page.keyboard.press('Control+Shift+Z');
      else await page.keyboard.press('Control+y');
      assert.deepEqual(await state(page), states[i], `redo to step ${i}`);
    }
    assert.equal(await page.getByTestId('redo').isDisabled(), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

const oversized = Buffer.concat([Buffer.from('{"name": "big"'), Buffer.alloc(4.5 * 1024 * 1024, 0x20), Buffer.from('}')]);
const BAD_FILES = [
  ['malformed.json', '{"version": 1, "name": "half', /^This is not a Spacetrace scenario: EOF while parsing a string \(line 1, column \d+\)\.$/],
  ['future.json', '{"version": 3, "name": "From the future"}', /format version 3, but this Spacetrace reads versions 1 and 2 only/],
  ['deep.json', `{"name": "deep", "x_more": ${'['.repeat(20000)}${']'.repeat(20000)}}`, /recursion limit exceeded/],
  ['big.json', oversized, /^The file is 4\.5 MiB long; Spacetrace opens scenarios of up to 4\.0 MiB\.$/],
  ['picture.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]), /^This file is not text/],
  ['list.json', '[1, 2, 3]', /^This is not a Spacetrace scenario: invalid type: sequence/],
];

test('each kind of bad file is refused with its reason, and the open scenario stays exactly as it was', async () => {
  const page = await open();
  try {
    await page.getByTestId('add-cedar-space').click();
    await page.getByTestId('region-space-2').waitFor();
    const before = await exportJson(page);
    for (const [name, content, message] of BAD_FILES) {
      await importFile(page, name, content);
      assert.equal(await page.getByTestId('dialog-title').innerText(), `\u2716 The file \u201c${name}\u201d was not opened`);
      assert.match(await page.getByTestId('dialog-message').innerText(), message, name);
      if (name === 'deep.json') await screenshot(page, 'bad-file-deep');
      await page.getByTestId('dialog-ok').click();
      await page.getByTestId('dialog-message').waitFor({ state: 'detached' });
      assert.deepEqual(await exportJson(page), before, `${name} left the scenario unchanged`);
    }
    // Dropped on the page, the same.
    await dropFile(page, 'future.json', BAD_FILES[1][1]);
    assert.match(await page.getByTestId('dialog-message').innerText(), BAD_FILES[1][2]);
    await page.getByTestId('dialog-ok').click();
    assert.deepEqual(await exportJson(page), before);
    assert.equal(await page.getByTestId('undo').isDisabled(), false, 'the undo history is intact');
    assert.deepEqual(await libraryNames(page), [JSON.parse(before).name], 'nothing was added to the library');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a good file opens as a new scenario, by the picker or by dropping it; the open one stays in the library', async () => {
  const page = await open();
  try {
    const vpn = await readFile(join(ROOT, 'scenarios/vpn.json'), 'utf8');
    const peering = await readFile(join(ROOT, 'scenarios/peering.json'), 'utf8');
    await importFile(page, 'vpn.json', vpn);
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /from the file \u201cvpn\.json\u201d/);
    assert.equal(await page.getByTestId('scenario-name').inputValue(), JSON.parse(vpn).name);
    await dropFile(page, 'peering.json', peering);
    await page.waitForFunction((n) => document.querySelector('[data-testid=scenario-name]').value === n, JSON.parse(peering).name);
    assert.equal(await page.getByTestId('drop-overlay').count(), 0);
    assert.deepEqual(await libraryNames(page), [JSON.parse(DEFAULT_JSON).name, JSON.parse(vpn).name, JSON.parse(peering).name]);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('markup and scripts in names show as text and run nothing', async () => {
  const page = await open();
  try {
    const hostile = {
      version: 1,
      name: '<img src=x onerror=alert(1)>',
      spaces: [
        {
          id: 'evil',
          name: '<script>alert(2)</script>',
          generation: 'cedar',
          region: 'virginia',
          outbound_ips: ['203.0.113.5'],
          apps: [{ id: 'a1', name: '"><svg onload=alert(3)>', process_types: [{ name: 'web', dynos: 1 }] }],
        },
      ],
    };
    await importFile(page, '<b>x</b>.json', JSON.stringify(hostile));
    await page.getByTestId('region-evil').waitFor();
    assert.equal(await page.getByTestId('scenario-name').inputValue(), hostile.name);
    // The title is cut to fit the region; the whole name is in the header's label.
    assert.ok(hostile.spaces[0].name.startsWith((await page.getByTestId('region-evil').locator('.region-title').textContent()).replace('\u2026', '')));
    assert.match(await page.getByTestId('region-evil').locator('.region-header').getAttribute('aria-label'), /<script>alert\(2\)<\/script>/);
    assert.match(await page.getByTestId('card-a1').getAttribute('aria-label'), /"><svg onload=alert\(3\)>/);
    assert.match(await page.getByTestId('card-a1').textContent(), /"><svg/);
    assert.match(await page.getByTestId('notice').innerText(), /\u201c<img src=x onerror=alert\(1\)>\u201d from the file \u201c<b>x<\/b>\.json\u201d/);
    assert.ok((await libraryNames(page)).includes(hostile.name));
    await page.waitForTimeout(300);
    assert.equal(await page.locator('img[src="x"], [onerror], [onload], b').count(), 0, 'no markup was made from names');
    assert.deepEqual(page.alerts, [], 'no script ran');
    await screenshot(page, 'hostile-names');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a partly valid file shows its diagnostics; Cancel keeps everything, "Open it anyway" keeps what is valid', async () => {
  const page = await open();
  try {
    const doc = JSON.parse(DEFAULT_JSON);
    doc.name = 'Typo in a CIDR';
    doc.vpcs[0].primary_cidr = '10.300.0.0/16';
    const text = JSON.stringify(doc, null, 2);
    const before = await exportJson(page);
    await importFile(page, 'typo.json', text);
    assert.match(await page.getByTestId('dialog-title').innerText(), /The file \u201ctypo\.json\u201d has \d+ errors?/);
    const listed = await page.getByTestId('offer-diagnostic').allInnerTexts();
    assert.ok(listed.some((d) => /\u201c10\.300\.0\.0\u201d is not an IPv4 or IPv6 address/.test(d)), listed.join('\n'));
    await screenshot(page, 'partly-valid-offer');
    await page.getByTestId('offer-cancel').click();
    assert.deepEqual(await exportJson(page), before);
    assert.equal((await libraryNames(page)).length, 1);

    await importFile(page, 'typo.json', text);
    await page.getByTestId('offer-open').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=scenario-name]').value === 'Typo in a CIDR');
    // What is valid is there; the errors are listed under the canvas.
    await page.getByTestId('region-acme-prod').waitFor();
    assert.doesNotMatch(await page.locator('.diag-toggle .count.errors').innerText(), /\u2716 0/);
    assert.equal((await libraryNames(page)).length, 2);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a share link opened in a fresh browser reproduces the scenario byte for byte, and adds it without overwriting', async () => {
  const teacher = await open();
  let student;
  try {
    await teacher.getByTestId('scenario-name').fill('Shared lesson');
    await teacher.getByTestId('scenario-name').press('Enter');
    await teacher.getByTestId('add-fir-space').click();
    await teacher.getByTestId('region-space-2').waitFor();
    const original = await exportJson(teacher);
    await openMenu(teacher);
    await teacher.getByTestId('share-link').click();
    const url = await teacher.getByTestId('share-url').inputValue();
    assert.ok(url.startsWith(`${app.server.url}#s1=`), url.slice(0, 60));
    assert.match(await teacher.locator('label[for=share-url]').innerText(), new RegExp(`\\(${url.length} characters\\)`));
    await teacher.getByTestId('share-copy').click();
    await teacher.waitForFunction(() => document.querySelector('[data-testid=share-status]').textContent.length > 0);
    await screenshot(teacher, 'share-dialog');
    await teacher.getByTestId('share-close').click();

    // A student's fresh browser.
    student = await open(url);
    await student.getByTestId('region-space-2').waitFor();
    assert.match(await student.getByTestId('notice').innerText(), /Opened the shared scenario \u201cShared lesson\u201d/);
    assert.ok(!student.url().includes('#'), 'the fragment is cleared');
    assert.deepEqual(await libraryNames(student), ['Shared lesson'], 'the link wins over the default example');
    assert.deepEqual(await exportJson(student), original);
    await screenshot(student, 'share-opened');
    await student.reload();
    await student.getByTestId('region-space-2').waitFor();
    assert.deepEqual(await libraryNames(student), ['Shared lesson'], 'a reload does not add it again');

    // Opening the link where the scenario already is adds a second copy; nothing is overwritten.
    await teacher.getByTestId('add-vpc').click();
    const edited = await exportJson(teacher);
    await teacher.goto(url);
    await teacher.getByTestId('notice').waitFor();
    assert.deepEqual(await exportJson(teacher), original);
    assert.deepEqual(await libraryNames(teacher), ['Shared lesson', 'Shared lesson']);
    await openMenu(teacher);
    await teacher.getByTestId('library-open').first().click();
    assert.deepEqual(await exportJson(teacher), edited);
    assert.deepEqual(teacher.errors, []);
    assert.deepEqual(student.errors, []);
  } finally {
    await teacher.context().close();
    await student?.context().close();
  }
});

test('a damaged link is refused with its reason; the page opens as usual', async () => {
  const page = await open(`${app.server.url}#s1=${'A'.repeat(40)}`);
  try {
    assert.equal(await page.getByTestId('dialog-title').innerText(), '\u2716 The link was not opened');
    assert.match(await page.getByTestId('dialog-message').innerText(), /damaged/);
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('region-acme-prod').waitFor();
    assert.deepEqual(await libraryNames(page), [JSON.parse(DEFAULT_JSON).name]);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a scenario too large for a link is refused with the advice to export a file', async () => {
  const page = await open();
  try {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed.toString(36));
    const clients = Array.from({ length: 400 }, (_, i) => ({
      id: `c${i}-${random()}`,
      name: `${random()}${random()}${random()}`,
      cidr: `198.51.${Math.floor(i / 250)}.${i % 250}/32`,
    }));
    await importFile(page, 'large.json', JSON.stringify({ version: 1, name: 'Large class', internet_clients: clients }));
    await page.waitForFunction(() => document.querySelector('[data-testid=scenario-name]').value === 'Large class');
    await openMenu(page);
    await page.getByTestId('share-link').click();
    assert.equal(await page.getByTestId('dialog-title').innerText(), 'Too large for a link');
    const message = await page.getByTestId('dialog-message').innerText();
    assert.match(message, /the link would be [\d,]+ characters long, and links longer than 8,000 characters can be cut off/);
    assert.match(message, /Export it as a JSON file/);
    assert.equal(await page.getByTestId('share-url').count(), 0);
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('too-long-export').click()]);
    assert.equal(d.suggestedFilename(), 'large-class.json');
    assert.equal(JSON.parse(await readFile(await d.path(), 'utf8')).internet_clients.length, 400);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('every example makes a link well under the limit', async (t) => {
  const page = await open();
  try {
    const lengths = [];
    let fir;
    for (const name of EXAMPLES) {
      await page.getByTestId('examples').selectOption(name);
      await openMenu(page);
      await page.getByTestId('share-link').click();
      const url = await page.getByTestId('share-url').inputValue();
      await page.getByTestId('share-close').click();
      const fragment = url.length - url.indexOf('#');
      lengths.push(`${name}: ${url.length} characters (fragment ${fragment})`);
      assert.ok(url.length < 8000, `${name}: ${url.length}`);
      if (name === 'fir') fir = url;
    }
    // A link to a scenario with errors on purpose (Fir's refusals) opens directly, errors listed.
    const other = await open(fir);
    try {
      await other.getByTestId('notice').waitFor();
      assert.match(await other.getByTestId('scenario-name').inputValue(), /^Fir:/);
      assert.equal(await other.getByTestId('dialog-title').count(), 0);
      assert.match(await other.locator('.diag-toggle .count.errors').innerText(), /\u2716 5/);
    } finally {
      await other.context().close();
    }
    t.diagnostic(`share link lengths at ${app.server.url}\n${lengths.join('\n')}`);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('pictures for slides: a standalone SVG with the regions, and a PNG', async () => {
  const page = await open();
  try {
    await page.getByTestId('card-ldap').click(); // a selection is not part of the picture
    const svg = await download(page, 'export-svg');
    assert.match(svg.name, /^acme-a-cedar-space-a-peered-vpc-and-an-office-vpn\.svg$/);
    const text = svg.bytes.toString('utf8');
    assert.ok(!text.includes('var(--'), 'custom properties are resolved');
    assert.ok(!text.includes('class="card app selected"') && !/\bselected\b/.test(text), 'no selection');
    const canvasTitles = await page.locator('[data-testid=canvas] .region-title').allTextContents();
    // The file is read in a blank page: the app's own page refuses inline styles (its
    // Content-Security-Policy), and a document parsed there would inherit that policy.
    const blank = await page.context().newPage();
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: root.localName,
        ns: root.namespaceURI,
        width: Number(root.getAttribute('width')),
        regions: doc.querySelectorAll('g.region').length,
        titles: [...doc.querySelectorAll('.region-title')].map((t) => t.textContent),
        fill: doc.querySelector('.region-box')?.getAttribute('style') ?? '',
      };
    }, text);
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    assert.deepEqual(parsed.titles, canvasTitles);
    assert.equal(parsed.regions, canvasTitles.length);
    assert.match(parsed.fill, /fill:\s*rgb\(/);
    // It renders on its own, as an image.
    const size = await blank.evaluate(async (text) => {
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, text);
    assert.ok(size[0] > 500 && size[1] > 300, String(size));

    const png = await download(page, 'export-png');
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.bytes.readUInt32BE(16), 2 * parsed.width, 'drawn at twice the size');
    assert.ok(png.bytes.length > 20000, `${png.bytes.length} bytes`);
    await mkdir(SCREENSHOTS, { recursive: true });
    await writeFile(join(SCREENSHOTS, 'export.png'), png.bytes);
    await writeFile(join(SCREENSHOTS, 'export.svg'), svg.bytes);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
