// Frame times in headless Chromium while a region is dragged on a generated network (`cargo xtask
// bench` uses 14 estates of the engine's `synth` example: 210 objects), with a question answered
// (its path on the canvas follows the drag) and the connectivity view open, and, for comparison,
// with the view closed. Run by `cargo xtask bench`:
//   node bench/drag-frames.mjs NETWORK.json
// with SPACETRACE_DIST naming the release build. Prints one `spacetrace-bench` line per case:
// `objects` counts what the canvas draws for document objects (the regions of spaces, VPCs and
// remote networks, and the cards of apps, add-ons, hosts, remote hosts, clients and services; not
// the Internet and Common Runtime regions), `questions` the pairs the connectivity view answers
// (its counts), `cells` the cells it draws, and the
// frame intervals are the differences of requestAnimationFrame timestamps from the press to the
// last move.
import { readFileSync } from 'node:fs';
import { serveDist, launchBrowser, newPage } from '../support.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/drag-frames.mjs NETWORK.json');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(file, 'utf8'));
const server = await serveDist('dist', '/');
const browser = await launchBrowser();
try {
  // The connectivity view as it opens (every network: too many cells to draw, so its counts and
  // blocking rules), filtered to the dragged space's sources (a grid of cells drawn), and closed.
  for (const view of ['open', 'open_grid', 'closed']) {
    const open = view !== 'closed';
    const page = await newPage(browser);
    await page.goto(server.url);
    await page.getByTestId('canvas').waitFor();
    await page.getByTestId('import-input').setInputFiles({
      name: 'bench.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(doc)),
    });
    await page.getByTestId(`region-${doc.spaces[0].id}`).waitFor();
    const objects = await page.evaluate(
      () =>
        document.querySelectorAll('g[data-region-kind]:not([data-testid^="region-@"])').length +
        document.querySelectorAll('g.card').length,
    );
    // The answer: the first space's first app's web dynos to a host of the first VPC, whose path
    // crosses the region that is dragged.
    const space = doc.spaces[0];
    const app = space.apps[0];
    const vpc = doc.vpcs[0];
    const host = vpc.hosts[0];
    await page.getByTestId('question-from').selectOption(`dyno|${app.id}|${app.process_types[0].name}`);
    await page.getByTestId('question-to').selectOption(`host|${host.id}`);
    await page.getByTestId('question-port').fill(String(host.ports[0].port));
    await page.getByTestId('verdict').waitFor();
    await page.getByTestId('path').waitFor();
    let [cells, questions] = [0, 0];
    if (open) {
      await page.getByTestId('matrix-open').click();
      await page.getByTestId('matrix-summary').waitFor();
      if (view === 'open_grid') {
        await page.getByTestId('matrix-filter-from').selectOption(space.id);
        await page.getByTestId('matrix-cell').first().waitFor();
      }
      cells = await page.getByTestId('matrix-cell').count();
      questions = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid^="matrix-count-"]')].reduce((n, e) => n + Number(e.dataset.count), 0),
      );
    }
    // The region to drag: the first space's header, zoomed in (with the wheel, over the region)
    // until the header is as tall as a person would grab it; the press must land on the header,
    // or the gesture would pan the canvas instead of dragging.
    const region = page.getByTestId(`region-${doc.spaces[0].id}`);
    const head = region.locator('.region-head');
    let box = await head.boundingBox();
    for (let k = 0; k < 60 && box.height < 20; k++) {
      await page.mouse.move(box.x + 20, box.y + box.height / 2);
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(10);
      box = await head.boundingBox();
    }
    const x = box.x + 24;
    const y = box.y + box.height / 2;
    const onHeader = await page.evaluate(([x, y]) => !!document.elementFromPoint(x, y)?.closest('.region-header'), [x, y]);
    if (!onHeader) throw new Error(`the press at (${x}, ${y}) is not on the region's header`);
    const before = await head.getAttribute('x');
    await page.mouse.move(x, y);
    await page.mouse.down();
    // Frames are counted from the press to the last move: the drag itself, not the drop (which
    // is an edit, after which the view re-evaluates once).
    await page.evaluate(() => {
      window.__frames = [];
      let last = 0;
      const tick = (t) => {
        if (last) window.__frames.push(t - last);
        last = t;
        if (!window.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const moves = 90;
    for (let i = 1; i <= moves; i++) {
      await page.mouse.move(x + i * 3, y + Math.sin(i / 8) * 40);
    }
    const frames = await page.evaluate(
      () =>
        new Promise((done) =>
          requestAnimationFrame(() => {
            window.__stop = true;
            done(window.__frames);
          }),
        ),
    );
    await page.mouse.up();
    const after = await head.getAttribute('x');
    if (after === before) throw new Error('the region did not move: the drag was not measured');
    if (!(await page.getByTestId('verdict').isVisible())) throw new Error('the answer is gone after the drag');
    const sorted = [...frames].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const dropped = frames.filter((f) => f > 25).length;
    const name = `drag_frames_view_${view}`;
    console.log(
      `spacetrace-bench ${name} objects=${objects} questions=${questions} cells=${cells} samples=${frames.length} median_ms=${at(0.5).toFixed(3)} ` +
        `min_ms=${(sorted[0] ?? 0).toFixed(3)} max_ms=${(sorted[sorted.length - 1] ?? 0).toFixed(3)} ` +
        `p95_ms=${at(0.95).toFixed(3)} dropped=${dropped}`,
    );
    if (page.errors.length) console.error(page.errors.join('\n'));
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
