// How fast the app shows something, in headless Chromium, from the release build served on
// 127.0.0.1 (a free port; the server stops when the script ends). Run by `cargo xtask bench`:
//   node bench/first-paint.mjs [RUNS] [SLOW_RUNS]
// with SPACETRACE_DIST naming the release build. Each load is cold: a new browser context (its own
// empty cache) per run. Two cases, each printed as one `spacetrace-bench` line of medians:
//   first_paint_localhost   no network emulation;
//   first_paint_slow_link   Chromium's network emulation (CDP Network.emulateNetworkConditions):
//                           1.6 Mbit/s down, 750 kbit/s up, 150 ms latency.
// Figures, in milliseconds from the start of navigation:
//   fcp_ms      the first contentful paint (performance.getEntriesByType('paint')): the loading
//               indicator, which index.html shows before the app's wasm is fetched;
//   canvas_ms   when the frame that first draws the app's canvas (data-testid="canvas") is made:
//               the clock in the first requestAnimationFrame callback after it enters the page;
//   loading_painted  1 when the first contentful paint came while the loading indicator was
//               still in the page (in every run), else 0.
// Assets are served compressed the way a static host would (Brotli: the `.br` copy that `cargo
// xtask dist` writes beside each asset, or compressed here once at start when there is none).
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { ROOT, TYPES, launchBrowser } from '../support.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const SLOW_RUNS = Number(process.argv[3] ?? 3);
/** Chromium's "Fast 3G"-like link: throughput in bytes per second, latency in ms. */
const SLOW = { offline: false, latency: 150, downloadThroughput: (1.6 * 1e6) / 8, uploadThroughput: (750 * 1e3) / 8 };

/** Every file of the build in memory, raw and Brotli-compressed, keyed by its URL path. */
async function loadDist(dir) {
  const files = new Map();
  for (const name of await readdir(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const raw = await readFile(join(dir, name));
    let br = await readFile(join(dir, `${name}.br`)).catch(() => null);
    br ??= brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    files.set(`/${name}`, { type, raw, br });
  }
  if (!files.has('/index.html')) throw new Error(`no index.html in ${dir}: build the release first`);
  return files;
}

async function serve(files) {
  const server = createServer((req, res) => {
    let path = new URL(req.url, 'http://x').pathname;
    if (path === '/') path = '/index.html';
    const f = files.get(path);
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    const brotli = /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
    const headers = { 'content-type': f.type, 'cache-control': 'no-cache' };
    if (brotli) headers['content-encoding'] = 'br';
    res.writeHead(200, headers).end(brotli ? f.br : f.raw);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}

// Runs in the page before any of its scripts: notes when the canvas enters the page (and the next
// animation frame, in which it is drawn) and whether the loading indicator was still there at the
// first contentful paint.
function watch() {
  const t = (window.__firstPaint = {
    canvas: null,
    canvasFrame: null,
    loadingSeen: null,
    loadingGone: null,
    fcp: null,
    loadingAtFcp: null,
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'first-contentful-paint' && t.fcp === null) {
        t.fcp = e.startTime;
        t.loadingAtFcp = t.loadingSeen !== null && t.loadingSeen <= e.startTime && (t.loadingGone ?? Infinity) > e.startTime;
      }
    }
  }).observe({ type: 'paint', buffered: true });
  const seen = () => {
    const loading = document.getElementById('loading');
    if (t.loadingSeen === null && loading) t.loadingSeen = performance.now();
    if (t.loadingSeen !== null && t.loadingGone === null && !loading) t.loadingGone = performance.now();
    if (t.canvas === null && document.querySelector('[data-testid="canvas"]')) {
      t.canvas = performance.now();
      // The timestamp a requestAnimationFrame callback receives can be older than the moment
      // it was asked for (the frame's start, when the page was busy); the clock in the callback
      // is when the frame that draws the canvas is made.
      requestAnimationFrame(() => (t.canvasFrame = performance.now()));
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

async function load(browser, url, slow) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(watch);
    if (slow) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW);
    }
    await page.goto(url, { waitUntil: 'commit' });
    await page.getByTestId('canvas').waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => window.__firstPaint.canvasFrame !== null && window.__firstPaint.fcp !== null);
    const r = await page.evaluate(() => {
      const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
      const t = window.__firstPaint;
      return { fcp: fcp?.startTime ?? null, canvas: t.canvasFrame, loadingAtFcp: t.loadingAtFcp, t };
    });
    if (errors.length) throw new Error(`the page failed to start: ${errors.join('; ')}`);
    if (r.fcp === null) throw new Error('no first-contentful-paint entry');
    // BENCH_VERBOSE=1 prints each load's times (ms from navigation) on standard error.
    if (process.env.BENCH_VERBOSE) console.error(JSON.stringify({ slow, ...r.t }));
    return r;
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = resolve(ROOT, process.env.SPACETRACE_DIST ?? 'dist');
const files = await loadDist(dir);
const server = await serve(files);
const browser = await launchBrowser();
try {
  // One warm-up load, not counted: the first start of a browser process compiles its own code.
  await load(browser, server.url, false);
  for (const [name, slow, runs] of [
    ['first_paint_localhost', false, RUNS],
    ['first_paint_slow_link', true, SLOW_RUNS],
  ]) {
    const rs = [];
    for (let i = 0; i < runs; i++) rs.push(await load(browser, server.url, slow));
    const fcps = rs.map((r) => r.fcp);
    console.log(
      `spacetrace-bench ${name} samples=${rs.length} fcp_ms=${median(fcps).toFixed(1)} ` +
        `fcp_max_ms=${Math.max(...fcps).toFixed(1)} canvas_ms=${median(rs.map((r) => r.canvas)).toFixed(1)} ` +
        `loading_painted=${rs.every((r) => r.loadingAtFcp) ? 1 : 0}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
