// Frame times in headless Chromium while a region is dragged, with the connectivity view of a
// 100-endpoint network open (and, for comparison, closed). Run by `cargo xtask bench`:
//   node bench/drag-frames.mjs NETWORK.json
// with SPACETRACE_DIST naming the release build. Prints one `spacetrace-bench` line per case.
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
  for (const open of [true, false]) {
    const page = await newPage(browser);
    await page.goto(server.url);
    await page.getByTestId('canvas').waitFor();
    await page.getByTestId('import-input').setInputFiles({
      name: 'bench.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(doc)),
    });
    await page.getByTestId(`region-${doc.spaces[0].id}`).waitFor();
    let cells = 0;
    if (open) {
      await page.getByTestId('matrix-open').click();
      await page.getByTestId('matrix').waitFor();
      cells = await page.getByTestId('matrix-cell').count();
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
    const sorted = [...frames].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const dropped = frames.filter((f) => f > 25).length;
    const name = open ? 'drag_frames_view_open' : 'drag_frames_view_closed';
    console.log(
      `spacetrace-bench ${name} questions=${cells} samples=${frames.length} median_ms=${at(0.5).toFixed(3)} ` +
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
