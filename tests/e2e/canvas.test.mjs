// The canvas tells the truth, checked in a real browser on the release build: on every example
// and on a generated network of twelve regions, no two regions overlap, no edge or path segment
// passes through a region that holds neither of its ends, every hop of the answer has a visible
// stop numbered as in the trace, and small networks are readable at 1280x800. Then the gestures:
// a gate opens in the inspector, drag-to-peer, the keyboard's context menu, Tidy up, and what
// changes after an applied fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

async function importDocument(page, doc) {
  await page.getByTestId('import-input').setInputFiles({
    name: 'generated.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  await page.getByTestId(`region-${doc.spaces[0].id}`).waitFor();
}

/** A network of twelve regions: the internet, the Common Runtime, four spaces, four peered VPCs, two offices. */
function generated() {
  const doc = {
    version: 1,
    name: 'Generated: twelve regions',
    internet_clients: [
      { id: 'anyone', name: 'Anyone', cidr: '0.0.0.0/0' },
      { id: 'office-ip', name: 'Office', cidr: '198.51.100.0/24' },
    ],
    external_services: [{ id: 'saas', name: 'SaaS API', hostname: 'api.saas.example', ports: [{ protocol: 'tcp', port: 443 }] }],
    common_runtime_apps: [{ id: 'site', name: 'site', process_types: [{ name: 'web', dynos: 1 }] }],
    spaces: [],
    vpcs: [],
    peerings: [],
    remote_networks: [],
    vpns: [],
    questions: [],
  };
  for (let i = 0; i < 4; i++) {
    doc.spaces.push({
      id: `space-${i}`,
      name: `space-${i}`,
      generation: 'cedar',
      region: 'virginia',
      cidr: `10.${i}.0.0/16`,
      apps: [
        { id: `api-${i}`, name: `api-${i}`, process_types: [{ name: 'web', dynos: 1 }, { name: 'worker', dynos: 1 }] },
      ],
      addons: [],
    });
    doc.vpcs.push({
      id: `vpc-${i}`,
      name: `vpc-${i}`,
      region: 'us-east-1',
      primary_cidr: `10.${100 + i}.0.0/16`,
      route_tables: [
        {
          id: `rtb-${i}`,
          name: `rtb-${i}`,
          routes: [
            { destination: `10.${100 + i}.0.0/16`, target: 'local' },
            ...(i % 2 === 0 ? [{ destination: `10.${i}.0.0/16`, target: `pcx-${i}` }] : []),
          ],
        },
      ],
      security_groups: [
        {
          id: `sg-${i}`,
          name: `sg-${i}`,
          inbound: [{ protocol: 'tcp', ports: '5432', cidr: `10.${i}.0.0/16` }],
          outbound: [{ protocol: 'all', ports: 'all', cidr: '0.0.0.0/0' }],
        },
      ],
      network_acls: [],
      subnets: [{ id: `subnet-${i}`, name: `subnet-${i}`, cidr: `10.${100 + i}.1.0/24`, route_table: `rtb-${i}` }],
      hosts: [
        {
          id: `db-${i}`,
          name: `db-${i}`,
          subnet: `subnet-${i}`,
          address: `10.${100 + i}.1.5`,
          security_groups: [`sg-${i}`],
          ports: [{ protocol: 'tcp', port: 5432 }],
        },
      ],
    });
    doc.peerings.push({ id: `pcx-${i}`, space: `space-${i}`, vpc: `vpc-${i}`, status: 'active' });
    doc.questions.push({
      id: `q-${i}`,
      name: `api-${i} to db-${i}`,
      from: { dyno: { app: `api-${i}`, process: 'worker' } },
      to: { host: `db-${i}` },
      protocol: 'tcp',
      port: 5432,
    });
  }
  for (let i = 0; i < 2; i++) {
    doc.remote_networks.push({
      id: `office-${i}`,
      name: `office-${i}`,
      cidrs: [`192.168.${i}.0/24`],
      hosts: [{ id: `ldap-${i}`, name: `ldap-${i}`, address: `192.168.${i}.20`, ports: [{ protocol: 'tcp', port: 636 }] }],
    });
    doc.vpns.push({
      id: `vpn-${i}`,
      name: `vpn-${i}`,
      space: `space-${i}`,
      remote_network: `office-${i}`,
      customer_gateway: `198.51.100.${i + 1}`,
      routable_cidrs: [`192.168.${i}.0/24`],
      tunnel_status: 'up',
    });
    doc.questions.push({
      id: `q-ldap-${i}`,
      name: `api-${i} to ldap-${i}`,
      from: { dyno: { app: `api-${i}`, process: 'worker' } },
      to: { remote_host: `ldap-${i}` },
      protocol: 'tcp',
      port: 636,
    });
  }
  return doc;
}

/** Everything drawn on the canvas, in canvas units. */
async function geometry(page) {
  return page.evaluate(() => {
    const num = (el, a) => Number(el.getAttribute(a));
    const points = (el) =>
      (el.getAttribute('points') ?? '')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((p) => p.split(',').map(Number));
    const regions = [...document.querySelectorAll('[data-testid^="region-"]')].map((g) => {
      const box = g.querySelector('.region-box');
      return { id: g.dataset.testid.slice(7), x: num(box, 'x'), y: num(box, 'y'), w: num(box, 'width'), h: num(box, 'height') };
    });
    const edges = [...document.querySelectorAll('[data-testid^="edge-"]')].map((g) => ({
      id: g.dataset.testid.slice(5),
      from: g.dataset.from,
      to: g.dataset.to,
      points: points(g.querySelector('.edge-hit')),
    }));
    const segments = [...document.querySelectorAll('[data-testid^="path-segment-"]')].map((s) => ({
      n: Number(s.dataset.testid.slice(13)),
      points: points(s),
    }));
    const stops = [...document.querySelectorAll('[data-testid^="path-stop-"], [data-testid="path-block"]')].map((s) => {
      const c = s.querySelector('circle');
      return { hop: Number(s.dataset.hop), x: num(c, 'cx'), y: num(c, 'cy'), r: num(c, 'r'), blocked: s.dataset.testid === 'path-block' };
    });
    const hops = document.querySelectorAll('[data-testid^="hop-"]').length;
    return { regions, edges, segments, stops, hops };
  });
}

const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (r, p) => p[0] >= r.x && p[0] <= r.x + r.w && p[1] >= r.y && p[1] <= r.y + r.h;

/** Does the segment a-b pass through the inside of box r (shrunk by half a unit)? */
function crosses(r, a, b) {
  const x0 = r.x + 0.5, y0 = r.y + 0.5, x1 = r.x + r.w - 0.5, y1 = r.y + r.h - 0.5;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  let t0 = 0, t1 = 1;
  for (const [p, q] of [[-dx, a[0] - x0], [dx, x1 - a[0]], [-dy, a[1] - y0], [dy, y1 - a[1]]]) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t1 - t0 > 1e-9;
}

function crossing(regions, pts, allowed) {
  for (const r of regions) {
    if (allowed.includes(r.id)) continue;
    for (let i = 0; i + 1 < pts.length; i++) if (crosses(r, pts[i], pts[i + 1])) return r.id;
  }
  return null;
}

/** The checks of the issue on whatever the canvas shows now. */
async function checkCanvas(page, what) {
  const g = await geometry(page);
  assert.ok(g.regions.length > 0, `${what}: regions drawn`);
  for (let i = 0; i < g.regions.length; i++)
    for (let j = i + 1; j < g.regions.length; j++)
      assert.ok(!overlap(g.regions[i], g.regions[j]), `${what}: ${g.regions[i].id} overlaps ${g.regions[j].id}`);
  for (const e of g.edges) {
    assert.ok(e.points.length >= 2, `${what}: edge ${e.id} drawn`);
    assert.equal(crossing(g.regions, e.points, []), null, `${what}: edge ${e.id} passes through a region`);
  }
  // One stop per hop, numbered as in the trace, each on screen.
  assert.deepEqual(
    g.stops.map((s) => s.hop).sort((a, b) => a - b),
    Array.from({ length: g.hops }, (_, i) => i + 1),
    `${what}: a stop for every hop`,
  );
  const home = (s) => g.regions.filter((r) => inside(r, [s.x, s.y])).map((r) => r.id);
  const byHop = new Map(g.stops.map((s) => [s.hop, s]));
  for (const seg of g.segments) {
    const allowed = [...home(byHop.get(seg.n)), ...home(byHop.get(seg.n + 1))];
    assert.equal(crossing(g.regions, seg.points, allowed), null, `${what}: path segment ${seg.n} passes through a region`);
  }
  for (let i = 0; i < g.stops.length; i++)
    for (let j = i + 1; j < g.stops.length; j++) {
      const [a, b] = [g.stops[i], g.stops[j]];
      assert.ok(Math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r - 0.5, `${what}: stops ${a.hop} and ${b.hop} overlap`);
    }
  const offscreen = await page.evaluate(() => {
    const svg = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
    return [...document.querySelectorAll('.path-stop circle')]
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.left < svg.left || r.right > svg.right || r.top < svg.top || r.bottom > svg.bottom).length;
  });
  assert.equal(offscreen, 0, `${what}: every stop is on screen at Fit`);
  return g;
}

/** Ask each saved question in turn and check the canvas for each. */
async function checkEveryQuestion(page, what) {
  const saved = page.getByTestId('saved-question');
  const n = await saved.count();
  await checkCanvas(page, `${what}, first question`);
  for (let i = 0; i < n; i++) {
    await saved.nth(i).locator('.saved-load').click();
    await page.waitForTimeout(30);
    await checkCanvas(page, `${what}, saved question ${i + 1}`);
  }
  return n;
}

/** The smallest text on the canvas, in screen pixels. */
async function smallestText(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('[data-testid=canvas]');
    const scale = svg.getScreenCTM().a;
    let min = Infinity;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
    return min;
  });
}

test('every example: no overlaps, no line through an unrelated region, a visible stop for every hop', async () => {
  const page = await open();
  try {
    for (const name of EXAMPLES) {
      await openExample(page, name);
      await checkEveryQuestion(page, name);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a generated network of twelve regions lays out truthfully too', async () => {
  const page = await open();
  try {
    await importDocument(page, generated());
    const g = await checkCanvas(page, 'generated');
    assert.equal(g.regions.length, 12);
    assert.ok((await checkEveryQuestion(page, 'generated')) >= 6);
    // Traffic reads left to right (or, for the internet, top down): the internet, Heroku, then
    // AWS and the offices.
    const at = (id) => g.regions.find((r) => r.id === id);
    const [net, space] = [at('@internet'), at('space-0')];
    assert.ok(net.x < space.x || (net.x === space.x && net.y < space.y), 'the internet comes first');
    assert.ok(at('space-0').x < at('vpc-0').x && at('space-1').x < at('office-1').x, 'AWS and the offices after Heroku');
    await screenshot(page, 'canvas-generated-12-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByTestId('zoom-fit').click();
    await screenshot(page, 'canvas-generated-12-1920');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

/**
 * A dense network of eight regions: the internet with five clients and services, the Common
 * Runtime with two apps, five spaces of up to three apps and add-ons, and a peered VPC whose
 * route table, ACL and two security groups are gates.
 */
function denseEight() {
  const doc = {
    version: 1,
    name: 'Generated: eight dense regions',
    internet_clients: [0, 1, 2].map((i) => ({ id: `client-${i}`, name: `Office ${i}`, cidr: `81.1.${i}.0/24` })),
    external_services: [0, 1].map((i) => ({
      id: `ext-${i}`,
      name: `Partner API ${i}`,
      hostname: `api.partner-${i}.example`,
      ports: [{ protocol: 'tcp', port: 443 }],
      ...(i === 1 ? { allowlist: ['52.1.1.10/32'] } : {}),
    })),
    common_runtime_apps: [0, 1].map((i) => ({
      id: `site-${i}`,
      name: `site-${i}`,
      process_types: [{ name: 'web', dynos: 1 }, { name: 'worker', dynos: 1 }],
    })),
    spaces: [],
    vpcs: [],
    peerings: [{ id: 'pcx-0', space: 'space-0', vpc: 'vpc-0', status: 'active' }],
    remote_networks: [],
    vpns: [],
    questions: [],
  };
  for (let i = 0; i < 5; i++) {
    const fir = i % 2 === 1;
    doc.spaces.push({
      id: `space-${i}`,
      name: `acme-${i}-${fir ? 'fir' : 'prod'}`,
      generation: fir ? 'fir' : 'cedar',
      region: 'virginia',
      ...(fir ? {} : { cidr: `10.${i}.0.0/16` }),
      apps: [
        {
          id: `api-${i}`,
          name: `acme-${i}-api`,
          process_types: [{ name: 'web', dynos: 2 }, { name: 'worker', dynos: 1, ports: [{ protocol: 'tcp', port: 9000 }] }],
        },
        ...(fir ? [] : [{ id: `billing-${i}`, name: `acme-${i}-billing`, internal_routing: true, process_types: [{ name: 'web', dynos: 1 }, { name: 'worker', dynos: 1 }] }]),
      ],
      addons: fir ? [] : [{ id: `db-${i}`, name: `acme-${i}-db`, kind: 'postgres' }],
    });
  }
  doc.vpcs.push({
    id: 'vpc-0',
    name: 'analytics',
    region: 'us-east-1',
    primary_cidr: '10.128.0.0/20',
    route_tables: [{ id: 'rtb-0', name: 'rtb-0', routes: [{ destination: '10.128.0.0/20', target: 'local' }, { destination: '10.0.0.0/16', target: 'pcx-0' }] }],
    security_groups: [
      { id: 'sg-db', name: 'sg-db', inbound: [{ protocol: 'tcp', ports: '5432', cidr: '10.0.0.0/16' }], outbound: [] },
      { id: 'sg-app', name: 'sg-app', inbound: [{ protocol: 'tcp', ports: '443', cidr: '10.0.0.0/16' }], outbound: [] },
    ],
    network_acls: [{ id: 'acl-0', name: 'acl-0', inbound: [{ number: 100, protocol: 'all', ports: 'all', cidr: '0.0.0.0/0', action: 'allow' }], outbound: [{ number: 100, protocol: 'all', ports: 'all', cidr: '0.0.0.0/0', action: 'allow' }] }],
    subnets: [{ id: 'subnet-0', name: 'subnet-0', cidr: '10.128.0.0/24', route_table: 'rtb-0', network_acl: 'acl-0' }],
    hosts: [
      { id: 'warehouse', name: 'warehouse', subnet: 'subnet-0', address: '10.128.0.10', security_groups: ['sg-db'], ports: [{ protocol: 'tcp', port: 5432 }] },
      { id: 'reports', name: 'reports', subnet: 'subnet-0', address: '10.128.0.20', security_groups: ['sg-app'], ports: [{ protocol: 'tcp', port: 443 }] },
    ],
  });
  doc.questions.push({ id: 'q-0', name: 'api-0 to warehouse', from: { dyno: { app: 'api-0', process: 'worker' } }, to: { host: 'warehouse' }, protocol: 'tcp', port: 5432 });
  return doc;
}

test('a dense network of eight regions folds its cards and reads at 12 px at 1280x800', async () => {
  const page = await open();
  try {
    const doc = denseEight();
    await importDocument(page, doc);
    const g = await checkCanvas(page, 'dense eight');
    assert.equal(g.regions.length, 8);
    const px = await smallestText(page);
    assert.ok(px >= 12, `the smallest canvas text is ${px.toFixed(1)} px`);
    // Folded cards draw their titles; the detail is in the tooltip and the screen-reader label.
    const card = page.getByTestId('card-api-0');
    assert.equal(await card.locator('text.card-line').count(), 0);
    assert.match(await card.locator('title').textContent(), /^acme-0-api\nweb ×2\nworker ×1 : 9000\/tcp$/);
    assert.match(await card.getAttribute('aria-label'), /worker ×1 : 9000\/tcp/);
    assert.ok((await checkEveryQuestion(page, 'dense eight')) >= 1);
    await screenshot(page, 'canvas-dense-8-1280');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('small examples are readable at 1280x800: canvas text of at least 12 px at Fit', async () => {
  const page = await open();
  try {
    // Every example of up to eight regions (limits has fourteen).
    for (const name of EXAMPLES.filter((n) => n !== 'limits')) {
      await openExample(page, name);
      const px = await smallestText(page);
      assert.ok(px >= 12, `${name}: the smallest canvas text is ${px.toFixed(1)} px`);
    }
  } finally {
    await page.context().close();
  }
});

test('a blocked answer ends at its block, and after Apply the block moves and what changed is marked', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    const block = page.getByTestId('path-block');
    await block.waitFor();
    const before = await block.getAttribute('data-target');
    const hops = await page.locator('[data-testid^="hop-"]').count();
    assert.equal(await block.getAttribute('data-hop'), String(hops), 'the path ends at the blocking hop');
    // No stop beyond the block.
    assert.equal(await page.locator(`[data-testid="path-stop-${hops + 1}"]`).count(), 0);
    await page.getByTestId('apply-fix').first().click();
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid=path-block]')?.dataset.target !== b,
      before,
    );
    // The new state of the path is marked as changed for a moment.
    assert.ok((await page.locator('.path-stop.changed').count()) >= 1);
    await screenshot(page, 'canvas-after-apply');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a gate opens in the inspector: a route table shows its routes', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    const doc = JSON.parse(await readFile(join(ROOT, 'scenarios/default.json'), 'utf8'));
    const rt = doc.vpcs[0].route_tables[0].id;
    await page.getByTestId(`gate-${rt}`).click();
    const routes = page.getByTestId(`routes-${rt}`);
    await routes.waitFor();
    assert.match(await routes.inputValue(), /local/);
    await page.getByTestId('inspector-focus').waitFor();
    // Every kind of component a trace passes through has a gate on the canvas.
    const kinds = await page.locator('[data-gate-kind]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.gateKind))]);
    for (const k of ['internet', 'dns', 'trusted', 'router', 'nat', 'private', 'route-table', 'sg', 'egress'])
      assert.ok(kinds.includes(k), `a ${k} gate is drawn`);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

async function dragTo(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + 20, { steps: 4 });
  await page.mouse.up();
}

test('drag from a VPC to a Cedar space requests a peering; to a Fir space it is refused with the rule', async () => {
  const page = await open();
  try {
    await page.getByTestId('examples').selectOption('new');
    await page.getByTestId('add-cedar-space').click();
    await page.getByTestId('add-vpc').click();
    await page.getByTestId('region-vpc-1').waitFor();
    await dragTo(page, page.getByTestId('connect-vpc-1'), page.getByTestId('region-space-1').locator('.region-box'));
    const edge = page.locator('[data-testid^="edge-"][data-from="space-1"][data-to="vpc-1"]');
    await edge.waitFor();
    await checkCanvas(page, 'after drag-to-peer');
    // A Fir space refuses peering at the gesture.
    await page.getByTestId('add-fir-space').click();
    await page.getByTestId('region-space-2').waitFor();
    await dragTo(page, page.getByTestId('connect-vpc-1'), page.getByTestId('region-space-2').locator('.region-box'));
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /FIR-UNAVAILABLE|PEER-CEDAR-ONLY/);
    assert.equal(await page.locator('[data-testid^="edge-"][data-to="vpc-1"]').count(), 1);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the context menu from the keyboard: ask to a card, connect regions, add, delete', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    const card = page.getByTestId('card-ldap');
    await card.focus();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByTestId('context-menu');
    await menu.waitFor();
    const items = await menu.getByTestId('context-action').allInnerTexts();
    assert.ok(items.includes('Ask to here') && items.includes('Delete'), items.join(', '));
    // Arrow keys move through the actions; Enter runs one.
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Ask to here');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('question-to').inputValue(), /ldap/);
    // A region's menu connects it to the others the platform allows.
    await page.getByTestId('region-hq').locator('.region-header').focus();
    await page.keyboard.press('ContextMenu');
    await menu.waitFor();
    const regionItems = await menu.getByTestId('context-action').allInnerTexts();
    assert.ok(regionItems.includes('Add a host'), regionItems.join(', '));
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    // A press elsewhere on the page closes it.
    await page.getByTestId('card-ldap').focus();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.getByTestId('question-panel').click({ position: { x: 5, y: 5 } });
    await menu.waitFor({ state: 'detached' });
    // The mouse opens it too.
    await page.getByTestId('card-ldap').click({ button: 'right' });
    await menu.getByText('Delete').click();
    assert.equal(await page.getByTestId('card-ldap').count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('adding networks never moves the ones already shown', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    for (const add of ['add-vpc', 'add-cedar-space', 'add-remote', 'add-vpc', 'add-fir-space', 'add-vpc']) {
      const before = (await geometry(page)).regions;
      await page.getByTestId(add).click();
      await page.waitForTimeout(60);
      const after = (await geometry(page)).regions;
      assert.equal(after.length, before.length + 1, `${add} added a region`);
      for (const r of before) {
        const now = after.find((a) => a.id === r.id);
        assert.equal(now.x, r.x, `${add}: ${r.id} stayed in its column`);
      }
      await checkCanvas(page, `after ${add}`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('panning follows the pointer and moves the view once, on release; a click on the background clears the selection', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    const canvas = page.getByTestId('canvas');
    const region = page.getByTestId('region-hq').locator('.region-box');
    const c = await canvas.boundingBox();
    // A point on the background, left of every region.
    let x = c.x + 4;
    const y = c.y + c.height - 60;
    assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.dataset.testid, [x, y]), 'canvas');
    const before = await region.boundingBox();
    const viewBefore = await canvas.getAttribute('viewBox');
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 120, y - 80, { steps: 5 });
    const during = await region.boundingBox();
    assert.ok(Math.abs(during.x - before.x - 120) < 2 && Math.abs(during.y - before.y + 80) < 2, 'the picture follows the pointer');
    assert.equal(await canvas.getAttribute('viewBox'), viewBefore, 'the view box waits for the release');
    await page.mouse.up();
    const after = await region.boundingBox();
    assert.ok(Math.abs(after.x - during.x) < 2 && Math.abs(after.y - during.y) < 2, 'nothing jumps on release');
    assert.notEqual(await canvas.getAttribute('viewBox'), viewBefore, 'the view moved');
    assert.equal(await page.locator('g.picture').getAttribute('transform'), null, 'no shift is left');
    // A click without a move clears the selection and leaves the view.
    await page.getByTestId('region-hq').locator('.region-header').click();
    assert.equal(await page.locator('.region.selected').count(), 1);
    const view = await canvas.getAttribute('viewBox');
    await page.mouse.click(x, y);
    assert.equal(await page.locator('.region.selected').count(), 0, 'the selection is cleared');
    assert.equal(await canvas.getAttribute('viewBox'), view);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a dragged region stays where it was put; Tidy up re-lays everything as one undo step', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    const box = page.getByTestId('region-hq').locator('.region-box');
    const auto = await box.getAttribute('y');
    const head = await page.getByTestId('region-hq').locator('.region-header').boundingBox();
    await page.mouse.move(head.x + 60, head.y + 10);
    await page.mouse.down();
    await page.mouse.move(head.x + 60, head.y + 200, { steps: 6 });
    await page.mouse.up();
    const moved = await box.getAttribute('y');
    assert.notEqual(moved, auto);
    // Adding a region elsewhere does not move it.
    await page.getByTestId('add-vpc').click();
    await page.waitForTimeout(100);
    assert.equal(await box.getAttribute('y'), moved);
    await checkCanvas(page, 'after a drag and an add');
    await page.getByTestId('undo').click();
    await page.getByTestId('tidy').click();
    assert.equal(await box.getAttribute('y'), auto);
    await page.getByTestId('undo').click();
    assert.equal(await box.getAttribute('y'), moved);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('while a region is dragged it is drawn shifted, back and front together; after the drop no shift is left', async () => {
  const page = await open();
  try {
    await openExample(page, 'default');
    const region = page.getByTestId('region-hq');
    const head = await region.locator('.region-header').boundingBox();
    await page.mouse.move(head.x + 60, head.y + 10);
    await page.mouse.down();
    await page.mouse.move(head.x + 60, head.y + 160, { steps: 6 });
    // Mid-drag: the region's box and header are shifted by a transform, and so is the front part
    // (gates and cards) drawn over the edges, by the same transform.
    await page.waitForFunction(() =>
      /^translate\(/.test(document.querySelector('[data-testid="region-hq"]')?.getAttribute('transform') ?? ''),
    );
    const shift = await region.getAttribute('transform');
    const fronts = await page.evaluate(() =>
      [...document.querySelectorAll('g.region-front')].map((g) => g.getAttribute('transform')),
    );
    assert.ok(fronts.includes(shift), `a front part is shifted with the region (${shift}; ${fronts})`);
    await page.mouse.up();
    await page.waitForFunction(() => !document.querySelector('g.region[transform], g.region-front[transform]'));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('screenshots of every example at 1280x800 and 1920x1080', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    const page = await open(viewport);
    try {
      for (const name of EXAMPLES) {
        await openExample(page, name);
        await screenshot(page, `canvas-${name}-${viewport.width}`);
      }
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  }
});
