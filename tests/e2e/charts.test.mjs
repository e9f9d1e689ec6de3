// The connectivity view's charts (plotters' SVG), in a real browser on the release build: the
// heatmap by network and the bar chart of blocked pairs by rule agree with the view's summary;
// each downloads as an SVG that parses and as a real PNG; screenshots at two sizes and in the
// dark theme.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseBuild, newPage, screenshot, ROOT } from './support.mjs';

const app = releaseBuild();
const DEFAULT_JSON = await readFile(join(ROOT, 'scenarios/default.json'), 'utf8');

async function open(viewport) {
  const page = await newPage(app.browser, viewport ? { viewport } : {});
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  await page.getByTestId('examples').selectOption('default');
  await page.waitForTimeout(150);
  if ((await page.getByTestId('matrix').count()) === 0) await page.getByTestId('matrix-open').click();
  await page.getByTestId('matrix').waitFor();
  return page;
}

async function openCharts(page) {
  await page.getByTestId('matrix-charts').click();
  await page.getByTestId('chart-heatmap').locator('svg').waitFor();
  await page.getByTestId('chart-rules').locator('svg').waitFor();
}

/** The texts of a chart's SVG, in drawing order. */
async function texts(page, testId) {
  return page.getByTestId(testId).locator('svg text').evaluateAll((els) => els.map((e) => e.textContent.trim()));
}

/** What a chart's SVG holds: its size and how many shapes and texts. */
async function shape(page, testId) {
  return page.getByTestId(testId).locator('svg').evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    return {
      width: box.width,
      height: box.height,
      rects: svg.querySelectorAll('rect').length,
      texts: svg.querySelectorAll('text').length,
      role: svg.getAttribute('role'),
      title: svg.querySelector('title')?.textContent ?? '',
    };
  });
}

/** Click a button that starts a download: its bytes and file name. */
async function download(page, testId) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { bytes: await readFile(await d.path()), name: d.suggestedFilename() };
}

/** An SVG file parsed in the page: no parser error, its root, size and texts. */
async function parseSvg(page, text) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: root.localName,
      ns: root.namespaceURI,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()),
    };
  }, text);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('the charts show the matrix: the bar chart has every blocking rule with the summary counts', async () => {
  const page = await open();
  try {
    // The grid is there until charts are asked for, and comes back after.
    assert.equal(await page.getByTestId('charts').count(), 0);
    await openCharts(page);
    assert.equal(await page.getByTestId('matrix-charts').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByTestId('matrix-cell').count(), 0, 'the grid gives way to the charts');
    for (const id of ['chart-heatmap', 'chart-rules']) {
      const s = await shape(page, id);
      assert.ok(s.width > 200 && s.height > 100, `${id} is drawn: ${JSON.stringify(s)}`);
      assert.ok(s.rects > 5 && s.texts > 5, `${id} has shapes and texts: ${JSON.stringify(s)}`);
      assert.equal(s.role, 'img');
      assert.ok(s.title.length > 0, `${id} has a title`);
    }

    // Every rule of the summary is a bar, with the same count.
    const rules = await page.getByTestId('matrix-rule').evaluateAll((els) =>
      els.map((e) => ({ rule: e.dataset.rule, count: Number(/×(\d+)/.exec(e.textContent)[1]) })),
    );
    assert.ok(rules.length > 0, 'the default example has blocked pairs');
    const bars = await texts(page, 'chart-rules');
    const drawn = new Map();
    bars.forEach((t, i) => {
      if (/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/.test(t) && /^\d+$/.test(bars[i + 1] ?? '')) drawn.set(t, Number(bars[i + 1]));
    });
    for (const { rule, count } of rules) assert.equal(drawn.get(rule), count, `bar of ${rule}`);
    // All the blocked pairs, and the bars ranked most first.
    const blocked = Number(await page.getByTestId('matrix-count-blocked').getAttribute('data-count'));
    assert.equal([...drawn.values()].reduce((a, b) => a + b, 0), blocked, 'the bars add up to the blocked pairs');
    const counts = [...drawn.values()];
    assert.ok(counts.every((c, i) => i === 0 || counts[i - 1] >= c), `ranked: ${counts}`);
    assert.deepEqual([...drawn.keys()].slice(0, rules.length), rules.map((r) => r.rule), 'in the summary order');

    // The heatmap names the networks and adds up to every modelled pair.
    const heat = await texts(page, 'chart-heatmap');
    for (const name of ['Internet', 'Common Runtime', 'acme-prod', 'analytics-vpc', 'Head office']) {
      assert.ok(heat.includes(name), `heatmap names ${name}: ${heat.join(' | ')}`);
    }
    const connected = Number(await page.getByTestId('matrix-count-connected').getAttribute('data-count'));
    const blocks = heat.map((t) => /^(\d+) of (\d+)$/.exec(t)).filter(Boolean);
    assert.ok(blocks.length > 4, 'blocks carry their counts');
    assert.equal(blocks.reduce((a, m) => a + Number(m[1]), 0), connected, 'connected pairs add up');
    assert.equal(blocks.reduce((a, m) => a + Number(m[2]), 0), connected + blocked, 'modelled pairs add up');
    for (const m of blocks) {
      const share = `${Math.round((100 * Number(m[1])) / Number(m[2]))}%`;
      assert.ok(heat.some((t) => t.endsWith(share)), `a share of ${share}`);
    }
    assert.ok(heat.some((t) => t.includes('not modelled')), 'the legend names the unmodelled blocks');

    await page.getByTestId('matrix-charts').click();
    await page.getByTestId('matrix-cell').first().waitFor();
    assert.equal(await page.getByTestId('charts').count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('each chart downloads as an SVG that parses and a PNG at twice its size', async () => {
  const page = await open();
  try {
    await openCharts(page);
    for (const which of ['heatmap', 'rules']) {
      const svg = await download(page, `chart-${which}-svg`);
      assert.match(svg.name, new RegExp(`-${which}\\.svg$`));
      const text = svg.bytes.toString('utf8');
      assert.ok(text.startsWith('<?xml') || text.startsWith('<svg'), text.slice(0, 40));
      assert.ok(!text.includes('var(--'), 'concrete colours');
      const parsed = await parseSvg(page, text);
      assert.equal(parsed.error, null, `${which}: parses`);
      assert.equal(parsed.root, 'svg');
      assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
      assert.ok(parsed.width > 300 && parsed.height > 150, `${which}: ${parsed.width}x${parsed.height}`);
      assert.deepEqual(parsed.texts, await texts(page, `chart-${which}`), `${which}: the file is the chart shown`);

      const png = await download(page, `chart-${which}-png`);
      assert.match(png.name, new RegExp(`-${which}\\.png$`));
      assert.deepEqual([...png.bytes.subarray(0, 8)], PNG, `${which}: PNG signature`);
      const [w, h] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
      assert.equal(w, 2 * parsed.width, `${which}: twice the width`);
      assert.equal(h, 2 * parsed.height, `${which}: twice the height`);
      assert.ok(png.bytes.length > 10000, `${which}: ${png.bytes.length} bytes`);
      // Not a blank picture: the PNG decodes and has more than one colour.
      const colours = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const data = g.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < data.length && seen.size < 50; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
        return seen.size;
      }, png.bytes.toString('base64'));
      assert.ok(colours > 5, `${which}: ${colours} colours`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('names with markup are text in the charts, and the files still parse', async () => {
  const page = await open();
  try {
    // The default example with a hostile scenario name and VPC name, imported as a file.
    const doc = JSON.parse(DEFAULT_JSON);
    doc.name = 'Acme <script>alert(1)</script> & "co"';
    doc.vpcs[0].name = '<b>vpc</b> & \'x\'';
    await page.getByTestId('scenario-menu').click();
    await page.getByTestId('import-input').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.getByTestId('scenario-menu').click();
    await page.waitForTimeout(200);
    if ((await page.getByTestId('matrix').count()) === 0) await page.getByTestId('matrix-open').click();
    await openCharts(page);
    const heat = await texts(page, 'chart-heatmap');
    assert.ok(heat.includes(doc.vpcs[0].name), `the VPC's name is text: ${heat.join(' | ')}`);
    assert.ok(heat.includes(doc.name), 'the scenario name is text');
    for (const [id, title] of [['chart-heatmap', 'connected pairs by network'], ['chart-rules', 'blocked pairs by rule']]) {
      assert.equal(await page.getByTestId(id).locator('b, script').count(), 0, `${id}: no element from a name`);
      assert.equal(await page.getByTestId(id).locator('svg title').textContent(), `${doc.name}: ${title}`);
    }
    const svg = await download(page, 'chart-heatmap-svg');
    const parsed = await parseSvg(page, svg.bytes.toString('utf8'));
    assert.equal(parsed.error, null);
    assert.ok(parsed.texts.includes(doc.vpcs[0].name));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('screenshots of the charts at 1280x800 and 1920x1080, light and dark, and of a large network', async () => {
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ]) {
    const page = await open({ width: w, height: h });
    try {
      await openCharts(page);
      // Each chart, brought into view, is whole in the window and drawn at a legible size: its
      // smallest text at least 9 pixels high on screen.
      for (const id of ['chart-heatmap', 'chart-rules']) {
        await page.getByTestId(id).scrollIntoViewIfNeeded();
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box && box.width > 300 && box.height > 200, `${id} at ${w}x${h}: ${JSON.stringify(box)}`);
        assert.ok(box.y >= 0 && box.x + box.width <= w + 1 && box.y + box.height <= h + 1, `${id} fits the window at ${w}x${h}`);
        const smallest = await page.getByTestId(id).locator('svg text').evaluateAll((els) =>
          Math.min(...els.map((e) => e.getBoundingClientRect().height)),
        );
        assert.ok(smallest >= 9, `${id} at ${w}x${h}: text ${smallest}px high`);
        if (id === 'chart-rules' && w === 1280) await screenshot(page, `charts-${w}x${h}-rules`);
      }
      await page.getByTestId('chart-heatmap').scrollIntoViewIfNeeded();
      await screenshot(page, `charts-${w}x${h}`);
      if (w === 1280) {
        // The theme button goes system → light → dark; the charts redraw in the dark colours.
        const before = await page.getByTestId('chart-rules').locator('svg rect').first().getAttribute('fill');
        await page.getByTestId('theme').click();
        await page.getByTestId('theme').click();
        await page.waitForTimeout(150);
        const after = await page.getByTestId('chart-rules').locator('svg rect').first().getAttribute('fill');
        assert.notEqual(after, before, 'the background follows the theme');
        await screenshot(page, `charts-${w}x${h}-dark`);
      }
      // A large network (ten destination networks): the heatmap takes the row and stays legible.
      await page.getByTestId('examples').selectOption('limits');
      await page.waitForTimeout(300);
      await page.getByTestId('chart-heatmap').scrollIntoViewIfNeeded();
      const box = await page.getByTestId('chart-heatmap').boundingBox();
      // As wide as the view at most; taller than a small window's drawer, it scrolls there.
      assert.ok(box.x >= 0 && box.x + box.width <= w + 1, `the large heatmap fits the window's width at ${w}x${h}`);
      if (h >= 1000) assert.ok(box.y >= 0 && box.y + box.height <= h + 1, `the large heatmap fits the window at ${w}x${h}`);
      const smallest = await page.getByTestId('chart-heatmap').locator('svg text').evaluateAll((els) =>
        Math.min(...els.map((e) => e.getBoundingClientRect().height)),
      );
      assert.ok(smallest >= 9, `the large heatmap at ${w}x${h}: text ${smallest}px high`);
      await screenshot(page, `charts-limits-${w}x${h}`);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  }
});
