// The packet's walk and presentation mode (issue 12, items 1 and 5), in a real browser against the
// release build: stepping forward and back with the buttons and the keyboard lights the same hop
// on the canvas and in the trace; the packet label changes at the NAT gateway and the router; a
// blocked question stops at its blocking hop; play runs to the end; where a stateless ACL
// decides, the reply's walk follows; presentation mode at 1920x1080 shows every canvas text at
// 20 px or more, a caption, no palette or inspector, and Escape leaves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBuild, newPage, screenshot } from './support.mjs';

const app = releaseBuild();

async function open(example = 'default', options = {}) {
  const page = await newPage(app.browser, options);
  await page.goto(app.server.url);
  await page.getByTestId('canvas').waitFor();
  if (example !== 'default') await page.getByTestId('examples').selectOption(example);
  await page.getByTestId('verdict').waitFor();
  return page;
}

/** Ask a saved question by its name. */
async function askSaved(page, name) {
  await page.getByTestId('saved-question').filter({ hasText: name }).locator('.saved-load').click();
  await page.getByTestId('question-text').waitFor();
}

/** The hop (1-based) lit on the canvas and in the trace: both must agree, and only one each. */
async function lit(page) {
  const canvas = await page.locator('[data-testid="canvas"] [data-current="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-hop')));
  const trace = await page.locator('[data-testid="hops"] [data-current="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  assert.ok(canvas.length <= 1 && trace.length <= 1, `one lit hop each: ${canvas} / ${trace}`);
  assert.equal(canvas.length, trace.length, `the canvas and the trace agree: ${canvas} / ${trace}`);
  if (canvas.length === 0) return null;
  assert.equal(`hop-${canvas[0]}`, trace[0], 'the canvas and the trace light the same hop');
  return Number(canvas[0]);
}

const label = (page) => page.getByTestId('packet-label').locator('.packet-main').textContent();

test('step forward and back through a NAT: canvas and trace lit alike, the source changes at the NAT gateway', async () => {
  const page = await open();
  try {
    await askSaved(page, 'Worker to the partner API');
    assert.equal(await lit(page), null, 'nothing lit before the walk starts');
    assert.ok(await page.getByTestId('packet-prev').isDisabled());
    await page.getByTestId('packet-next').click();
    assert.equal(await lit(page), 1);
    assert.equal(await label(page), '10.0.128.5 → api.partner.example TCP 443');
    await page.getByTestId('packet-next').click();
    assert.equal(await lit(page), 2);
    assert.equal(await label(page), '52.1.2.3 or 52.1.2.4 → api.partner.example TCP 443');
    assert.equal(await page.getByTestId('packet-label').getAttribute('data-changed'), 'true');
    assert.match(await page.getByTestId('packet-note').textContent(), /source was 10\.0\.128\.5/);
    // The lit hop in the trace is in view and marked; the path ahead is faded.
    assert.equal(await page.getByTestId('hop-2').getAttribute('aria-current'), 'step');
    assert.equal(await page.locator('.path-line.ahead').count(), 1, 'the way to hop 3 is ahead');
    // The label stays inside the canvas.
    const canvasBox = await page.getByTestId('canvas').boundingBox();
    const labelBox = await page.getByTestId('packet-label').boundingBox();
    assert.ok(labelBox.x >= canvasBox.x && labelBox.x + labelBox.width <= canvasBox.x + canvasBox.width, JSON.stringify([labelBox, canvasBox]));
    // It covers no region's name: on a crowded canvas it moves further from its stop instead.
    const box = await page.getByTestId('packet-label').locator('.packet-box').boundingBox();
    for (const title of await page.locator('[data-testid="canvas"] .region-title').all()) {
      const t = await title.boundingBox();
      const overlap = Math.min(box.x + box.width, t.x + t.width) > Math.max(box.x, t.x) && Math.min(box.y + box.height, t.y + t.height) > Math.max(box.y, t.y);
      assert.ok(!overlap, `the packet label covers the region name "${await title.textContent()}"`);
    }
    await screenshot(page, 'walk-1280-nat');
    // The keyboard: "," back, "." forward (anywhere but a text field).
    await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(',');
    assert.equal(await lit(page), 1);
    await page.keyboard.press('.');
    await page.keyboard.press('.');
    assert.equal(await lit(page), 3);
    assert.ok(await page.getByTestId('packet-next').isDisabled(), 'the end of the walk');
    await page.keyboard.press('.');
    assert.equal(await lit(page), 3);
    // Arrow keys step while the walk's controls have focus.
    await page.getByTestId('present').click();
    await screenshot(page, 'walk-1280-present');
    await page.keyboard.press('Escape');
    await page.getByTestId('packet-prev').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await lit(page), 2);
    await page.keyboard.press('ArrowRight');
    assert.equal(await lit(page), 3);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('at the router the dyno sees the router, on $PORT', async () => {
  const page = await open();
  try {
    await askSaved(page, 'Office Wi-Fi to the API');
    await page.getByTestId('packet-next').click();
    assert.equal(await label(page), '198.51.100.0/24 → acme-api.herokuapp.com TCP 443');
    const hops = await page.locator('[data-testid="hops"] > li').count();
    for (let i = 1; i < hops; i++) await page.getByTestId('packet-next').click();
    assert.equal(await lit(page), hops);
    // The router forwards to the web dyno's own address, on $PORT.
    assert.equal(await label(page), 'the router (X-Forwarded-For 198.51.100.0/24) \u2192 10.0.128.4 TCP 5000');
    assert.equal(await page.getByTestId('packet-label').getAttribute('data-changed'), 'true');
  } finally {
    await page.context().close();
  }
});

test('a blocked question stops at its blocking hop; play runs to the end', async () => {
  const page = await open();
  try {
    // The default example opens on the worker to the warehouse: blocked at the route table.
    assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'blocked');
    const blocking = Number(await page.getByTestId('path-block').getAttribute('data-hop'));
    await page.getByTestId('packet-play').click();
    assert.equal(await page.getByTestId('packet-play').getAttribute('aria-pressed'), 'true');
    await page.waitForFunction(() => document.querySelector('[data-testid="packet-play"]').getAttribute('aria-pressed') === 'false', null, { timeout: 15000 });
    assert.equal(await lit(page), blocking, 'play stops at the block');
    assert.equal(await page.getByTestId('path-block').getAttribute('data-current'), 'true');
    assert.match(await page.getByTestId('packet-note').textContent(), /stops here/);
    assert.ok(await page.getByTestId('packet-next').isDisabled(), 'nothing after the block');
    // A connected question plays to its last hop.
    await askSaved(page, 'API to its Postgres');
    assert.equal(await lit(page), null, 'a new answer leaves the walk');
    await page.getByTestId('packet-play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="packet-play"]').getAttribute('aria-pressed') === 'false', null, { timeout: 15000 });
    assert.equal(await lit(page), await page.locator('[data-testid="hops"] > li').count());
  } finally {
    await page.context().close();
  }
});

test('a stateless ACL: the reply walks back, and a reply the ACL denies stops at it', async () => {
  const page = await open('peering');
  try {
    await askSaved(page, 'behind the network ACL');
    const hops = await page.locator('[data-testid="hops"] > li').count();
    await page.getByTestId('packet-next').click();
    for (let i = 1; i < hops; i++) await page.getByTestId('packet-next').click();
    assert.equal(await page.getByTestId('packet-label').getAttribute('data-leg'), 'request');
    await page.getByTestId('packet-next').click();
    assert.equal(await page.getByTestId('packet-label').getAttribute('data-leg'), 'reply');
    assert.equal(await lit(page), hops, 'the reply starts at the destination');
    assert.match(await label(page), /TCP 1024-65535$/);
    await page.getByTestId('packet-play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="packet-play"]').getAttribute('aria-pressed') === 'false', null, { timeout: 15000 });
    assert.equal(await lit(page), 1, 'the reply gets back to the source');

    await askSaved(page, 'the stateless reply is denied');
    const acl = Number(await page.getByTestId('path-block').getAttribute('data-hop'));
    for (let i = 0; i < acl; i++) await page.getByTestId('packet-next').click();
    assert.equal(await page.getByTestId('packet-label').getAttribute('data-leg'), 'request');
    await page.getByTestId('packet-next').click();
    assert.equal(await page.getByTestId('packet-label').getAttribute('data-leg'), 'reply');
    assert.equal(await lit(page), acl);
    assert.match(await page.getByTestId('packet-note').textContent(), /reply.*stops here/);
    assert.ok(await page.getByTestId('packet-next').isDisabled());
  } finally {
    await page.context().close();
  }
});

test('presentation mode at 1920x1080: large canvas text, the caption, no palette or inspector; Escape leaves', async () => {
  const page = await open('default', { viewport: { width: 1920, height: 1080 } });
  try {
    await askSaved(page, 'Worker to the partner API');
    await page.getByTestId('present').click();
    const caption = page.getByTestId('present-caption');
    await caption.waitFor();
    assert.match(await page.getByTestId('present-question').textContent(), /worker\.1 of acme-api to Partner API/);
    assert.match(await page.getByTestId('present-verdict').textContent(), /connected/);
    for (const id of ['palette-toggle', 'question-from', 'topbar']) {
      assert.equal(await page.getByTestId(id).isVisible(), false, `${id} hidden`);
    }
    assert.equal(await page.locator('.palette').isVisible(), false);
    assert.equal(await page.locator('.side').isVisible(), false);
    // The canvas fills the window above the caption; the walk's controls stay on screen.
    const box = await page.getByTestId('canvas').boundingBox();
    const band = await caption.boundingBox();
    assert.ok(box.width >= 1900 && box.height >= 900 && box.y + box.height <= band.y + 1, JSON.stringify([box, band]));
    for (const id of ['packet-next', 'packet-prev', 'packet-play', 'present-exit']) {
      assert.ok(await page.getByTestId(id).isVisible(), `${id} visible`);
      const r = await page.getByTestId(id).boundingBox();
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid]')?.getAttribute('data-testid'), [r.x + r.width / 2, r.y + r.height / 2]);
      assert.equal(hit, id, `${id} is not covered`);
    }
    // The keyboard steps: Right and Space forward, Left back.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(' ');
    assert.equal(await page.locator('[data-testid="canvas"] [data-current="true"]').getAttribute('data-hop'), '2');
    assert.match(await page.getByTestId('present-packet').textContent(), /52\.1\.2\.3 or 52\.1\.2\.4 → api\.partner\.example TCP 443/);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('[data-testid="canvas"] [data-current="true"]').getAttribute('data-hop'), '1');
    await page.keyboard.press('ArrowRight');
    // Every canvas text on screen is drawn at 20 px or more (its rendered size: font size × the
    // SVG's scale on the screen).
    const sizes = await page.evaluate(() => {
      const svg = document.querySelector('[data-testid="canvas"]');
      const ctm = svg.getScreenCTM();
      const scale = Math.hypot(ctm.a, ctm.b);
      const out = [];
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right < 0 || r.bottom < 0 || r.left > innerWidth || r.top > innerHeight) continue;
        const own = t.getScreenCTM();
        const s = own ? Math.hypot(own.a, own.b) : scale;
        out.push({ text: t.textContent.slice(0, 30), px: parseFloat(getComputedStyle(t).fontSize) * s });
      }
      return out;
    });
    assert.ok(sizes.length > 10, `texts on screen: ${sizes.length}`);
    const small = sizes.filter((s) => s.px < 20);
    assert.deepEqual(small, [], 'every visible canvas text is at least 20 px');
    const captionSize = await caption.evaluate((el) => parseFloat(getComputedStyle(el.querySelector('.present-packet')).fontSize));
    assert.ok(captionSize >= 20);
    const inView = await page.getByTestId('packet-label').boundingBox();
    assert.ok(inView.x >= 0 && inView.x + inView.width <= box.x + box.width && inView.y >= 0 && inView.y + inView.height <= box.y + box.height, JSON.stringify(inView));
    await screenshot(page, 'walk-1920-present');
    await page.keyboard.press('Escape');
    await caption.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('topbar').isVisible(), true);
    assert.equal(await page.locator('.side').isVisible(), true);
    assert.equal(await page.getByTestId('present').getAttribute('aria-pressed'), 'false');
    await screenshot(page, 'walk-1920-normal');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
