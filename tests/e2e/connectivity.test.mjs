// The connectivity view, in a real browser on the release build: on every example its cells and
// counts are exactly the CLI's `matrix --json`; a cell asks its question (mouse and keyboard);
// hovering shows the blocking rule; filters narrow it; a baseline marks what an applied fix
// changed and opens both traces side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { releaseBuild, newPage, screenshot, ROOT } from './support.mjs';

const app = releaseBuild();

const EXAMPLES = [
  'default',
  'common-runtime',
  'private-space',
  'trusted-ips',
  'internal-routing',
  'peering',
  'vpn',
  'aws',
  'fir',
  'limits',
];

/** The CLI's answer for a scenario file: `spacetrace matrix FILE --json`. */
function cliMatrix(name) {
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'spacetrace-cli', '--', 'matrix', join(ROOT, `scenarios/${name}.json`), '--json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out);
}

async function open(viewport) {
  const page = await newPage(app.browser, viewport ? { viewport } : {});
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  return page;
}

async function openExample(page, name) {
  await page.getByTestId('examples').selectOption(name);
  await page.waitForTimeout(150);
}

async function openView(page) {
  if ((await page.getByTestId('matrix').count()) === 0) await page.getByTestId('matrix-open').click();
  await page.getByTestId('matrix').waitFor();
}

/** Every drawn cell: its ends, port and verdict. */
async function cells(page) {
  return page.getByTestId('matrix-cell').evaluateAll((els) =>
    els.map((e) => ({
      id: e.id,
      from: e.dataset.from,
      to: e.dataset.to,
      protocol: e.dataset.protocol,
      port: Number(e.dataset.port),
      verdict: e.dataset.verdict,
      rule: e.dataset.rule ?? null,
      changed: e.dataset.changed ?? null,
      dim: e.classList.contains('dim'),
    })),
  );
}

test('on every example the view shows exactly the CLI matrix: every cell and the counts', async () => {
  const page = await open();
  try {
    for (const name of EXAMPLES) {
      await openExample(page, name);
      await openView(page);
      const cli = cliMatrix(name);
      const count = async (v) => Number(await page.getByTestId(`matrix-count-${v}`).getAttribute('data-count'));
      assert.equal(await count('connected'), cli.counts.connected, `${name}: connected`);
      assert.equal(await count('blocked'), cli.counts.blocked, `${name}: blocked`);
      assert.equal(await count('unmodelled'), cli.counts.not_modelled, `${name}: not modelled`);
      const drawn = await cells(page);
      assert.equal(drawn.length, cli.sources.length * cli.services.length, `${name}: one cell per pair`);
      const seen = new Map(drawn.map((c) => [`${c.from}|${c.to} ${c.protocol}/${c.port}`, c]));
      cli.sources.forEach((s, r) =>
        cli.services.forEach((svc, c) => {
          const cell = seen.get(`${s.ref}|${svc.ref} ${svc.protocol}/${svc.port}`);
          assert.ok(cell, `${name}: a cell for ${s.ref} to ${svc.ref}`);
          const want = cli.cells[r][c];
          assert.equal(cell.verdict, want ? want.verdict : 'unmodelled', `${name}: ${s.ref} to ${svc.ref}`);
          assert.equal(cell.rule, want?.blocked_by ?? null, `${name}: rule of ${s.ref} to ${svc.ref}`);
        }),
      );
      // Each cell shows its verdict by a mark as well as a colour.
      const marks = await page.getByTestId('matrix-cell').evaluateAll((els) => [...new Set(els.map((e) => `${e.dataset.verdict}:${e.textContent}`))]);
      for (const m of marks) assert.ok(['connected:✔', 'blocked:✖', 'unmodelled:·'].includes(m), `${name}: mark ${m}`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a cell asks its question: the panel gives the same verdict, the status names the rule', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    await openView(page);
    for (const verdict of ['blocked', 'connected']) {
      const cell = page.locator(`[data-testid=matrix-cell][data-verdict=${verdict}]`).nth(3);
      const rule = await cell.getAttribute('data-rule');
      await cell.hover();
      const status = await page.getByTestId('matrix-status').textContent();
      if (rule) assert.match(status, new RegExp(`blocked by ${rule}`));
      else assert.match(status, /connected/);
      await cell.click();
      await page.waitForFunction((v) => document.querySelector('[data-testid=verdict]')?.dataset.verdict === v, verdict);
      if (rule) assert.equal(await page.getByTestId('blocking-rule').first().textContent(), rule);
      // The path is on the canvas.
      await page.getByTestId('path').waitFor();
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the grid is keyboard-navigable: arrows move, Enter asks', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    await openView(page);
    const grid = page.getByTestId('matrix');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    const first = await grid.getAttribute('aria-activedescendant');
    assert.ok(first, 'a cell is active');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const id = await grid.getAttribute('aria-activedescendant');
    assert.notEqual(id, first);
    const cell = page.locator(`#${id}`);
    assert.ok(await cell.evaluate((e) => e.classList.contains('active')), 'the active cell is marked');
    const want = await cell.getAttribute('data-verdict');
    const status = await page.getByTestId('matrix-status').textContent();
    assert.match(status, /→/, 'the status describes the active cell');
    await page.keyboard.press('Enter');
    if (want !== 'unmodelled')
      await page.waitForFunction((v) => document.querySelector('[data-testid=verdict]')?.dataset.verdict === v, want);
    const from = await cell.getAttribute('data-from');
    assert.ok(from);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('filters narrow the grid to a network, a verdict and a blocking rule', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    await openView(page);
    const all = await cells(page);
    await page.getByTestId('matrix-filter-verdict').selectOption('blocked');
    let shown = (await cells(page)).filter((c) => !c.dim);
    assert.ok(shown.length > 0 && shown.every((c) => c.verdict === 'blocked'));
    assert.equal(shown.length, all.filter((c) => c.verdict === 'blocked').length);
    // A ranked rule in the summary filters to the cells it blocks.
    const rule = page.getByTestId('matrix-rule').first();
    const id = await rule.getAttribute('data-rule');
    await rule.click();
    shown = (await cells(page)).filter((c) => !c.dim);
    assert.equal(shown.length, all.filter((c) => c.rule === id).length, `cells blocked by ${id}`);
    await page.getByTestId('matrix-filter-clear').click();
    await page.getByTestId('matrix-filter-from').selectOption({ index: 1 });
    const from = await cells(page);
    assert.ok(from.length > 0 && from.length < all.length);
    await page.getByTestId('matrix-filter-clear').click();
    assert.equal((await cells(page)).length, all.length);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('set a baseline, apply a fix: the changed cells are marked and listed, and a change compares both traces', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    await openView(page);
    await page.getByTestId('baseline-set').click();
    await page.getByTestId('matrix-changes').waitFor();
    assert.equal(await page.getByTestId('matrix-change').count(), 0);
    // The default question is blocked at a route table; its fix adds a route.
    const asked = await page.getByTestId('verdict').first().getAttribute('data-verdict');
    assert.equal(asked, 'blocked');
    await page.getByTestId('apply-fix').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=matrix-cell][data-changed]').length > 0);
    const changed = (await cells(page)).filter((c) => c.changed);
    assert.ok(changed.every((c) => (c.changed === 'opened') === (c.verdict === 'connected')));
    const listed = await page.getByTestId('matrix-change').evaluateAll((els) => els.map((e) => `${e.dataset.change}|${e.dataset.from}|${e.dataset.to}`));
    for (const c of changed) assert.ok(listed.includes(`${c.changed}|${c.from}|${c.to}`), `${c.from} to ${c.to} is listed`);
    assert.match(await page.getByTestId('matrix-diff-summary').textContent(), /\d+ opened/);
    await screenshot(page, 'matrix-baseline-1280');
    // A change opens both traces side by side, with the step where they part.
    await page.getByTestId('matrix-change').first().click();
    await page.getByTestId('matrix-compare').waitFor();
    assert.equal(await page.getByTestId('compare-before').getAttribute('data-verdict'), 'blocked');
    assert.equal(await page.getByTestId('compare-after').getAttribute('data-verdict'), 'connected');
    assert.match(await page.getByTestId('matrix-first-difference').textContent(), /hop \d+, step \d+/);
    assert.equal(await page.locator('[data-testid=compare-before] .step.first-difference').count(), 1);
    await screenshot(page, 'matrix-compare-1280');
    // Undo goes back to the baseline: nothing is changed any more.
    await page.getByTestId('undo').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=matrix-cell][data-changed]').length === 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('what if: a fix lists every pair it would change, exactly the pairs applying it changes', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    await page.getByTestId('fix-preview').first().click();
    await page.getByTestId('fix-preview-list').waitFor();
    const preview = await page.getByTestId('fix-preview-change').evaluateAll((els) => els.map((e) => `${e.dataset.change}|${e.dataset.from}|${e.dataset.to}`).sort());
    assert.ok(preview.length > 1, 'the route opens more than the one question asked');
    assert.match(await page.getByTestId('fix-preview-counts').textContent(), new RegExp(`^${preview.length} pairs change`));
    await openView(page);
    await page.getByTestId('baseline-set').click();
    await page.getByTestId('apply-fix').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=matrix-change]').length > 0);
    const applied = await page.getByTestId('matrix-change').evaluateAll((els) => els.map((e) => `${e.dataset.change}|${e.dataset.from}|${e.dataset.to}`).sort());
    assert.deepEqual(applied, preview);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('Preview as Fir lists what would break on a Fir space, each with its rule', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    await page.getByTestId('region-acme-prod').locator('.region-header').click();
    await page.getByTestId('preview-fir').click();
    await page.getByTestId('fir-preview').waitFor();
    // The platform refuses the peering and the VPN on Fir, each with its rule.
    const refused = await page.getByTestId('whatif-refused').allTextContents();
    assert.ok(refused.some((t) => /PEER-CEDAR-ONLY/.test(t)), refused.join('\n'));
    assert.ok(refused.some((t) => /VPN-CEDAR-ONLY/.test(t)), refused.join('\n'));
    // Connections that worked break, each naming the rule that blocks them now.
    const closed = await page.locator('[data-testid=fir-preview-change][data-change=closed]').evaluateAll((els) => els.map((e) => e.dataset.rule));
    assert.ok(closed.length > 0 && closed.every((r) => r), `closed: ${closed}`);
    await screenshot(page, 'fir-preview-1280');
    // Nothing was changed: the space is still Cedar and undo has nothing new.
    assert.equal(await page.getByTestId('undo').isDisabled(), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the matrix downloads as CSV, byte for byte the CLI matrix --csv', async () => {
  const page = await open();
  try {
    for (const name of ['default', 'limits']) {
      await openExample(page, name);
      await openView(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('matrix-csv').click()]);
      assert.match(download.suggestedFilename(), /-matrix\.csv$/);
      const got = await readFile(await download.path(), 'utf8');
      const want = execFileSync(
        'cargo',
        ['run', '--quiet', '-p', 'spacetrace-cli', '--', 'matrix', join(ROOT, `scenarios/${name}.json`), '--csv'],
        { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      assert.equal(got, want, name);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('screenshots of the connectivity view at 1280x800 and 1920x1080', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    const page = await open(viewport);
    try {
      await openExample(page, 'default');
      await openView(page);
      // The view and the canvas share the screen: both are visible.
      const view = await page.getByTestId('matrix').boundingBox();
      const canvas = await page.locator('.canvas-wrap').boundingBox();
      assert.ok(view.height > 150 && canvas.height > 200, `view ${view.height}px, canvas ${canvas.height}px`);
      assert.ok(view.y + view.height <= viewport.height);
      // However short the canvas, the fitted picture keeps clear of the walk's controls and the
      // zoom buttons: no region goes under them.
      const under = await page.evaluate(() => {
        const boxes = ['[data-testid="walk"]', '.canvas-tools'].map((q) => document.querySelector(q).getBoundingClientRect());
        const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        return [...document.querySelectorAll('[data-testid="canvas"] [data-testid^="region-"]')]
          .filter((g) => boxes.some((b) => meets(g.getBoundingClientRect(), b)))
          .map((g) => g.dataset.testid);
      });
      assert.deepEqual(under, [], `regions under the canvas's controls at ${viewport.width}x${viewport.height}`);
      await screenshot(page, `matrix-default-${viewport.width}`);
      await openExample(page, 'limits');
      await screenshot(page, `matrix-limits-${viewport.width}`);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  }
});
