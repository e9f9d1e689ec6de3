// The walking skeleton, end to end: the release build, served statically, computes in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, newPage, SCREENSHOTS } from './support.mjs';
import { mkdir } from 'node:fs/promises';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function open(dir, prefix) {
  const server = await serveDist(dir, prefix);
  const page = await newPage(browser);
  try {
    await page.goto(server.url);
    await page.getByTestId('canvas').waitFor();
    await page.getByText('Address calculator').click();
    await page.getByTestId('cidr-result').waitFor();
  } catch (e) {
    // A failed start still stops its server, so the file ends instead of waiting on it.
    await page.context().close();
    await server.close();
    throw e;
  }
  return { server, page };
}

test('a person types CIDR blocks and reads what they are', async () => {
  const { server, page } = await open('dist', '/');
  try {
    // First visit: the default Private Space CIDR is described.
    await assert.doesNotReject(page.getByRole('heading', { name: 'Spacetrace' }).waitFor());
    const result = page.getByTestId('cidr-result');
    assert.match(await result.innerText(), /10\.0\.0\.0\/16/);
    assert.match(await result.innerText(), /65,536 addresses/);
    assert.match(await page.getByTestId('cidr-badge').innerText(), /private/);

    // A public block.
    const input = page.getByLabel('CIDR block');
    await input.fill('100.64.0.0/10');
    assert.match(await page.getByTestId('cidr-badge').innerText(), /public/);
    assert.match(await result.innerText(), /4,194,304 addresses/);
    assert.match(await result.innerText(), /Not private: outside the RFC 1918 ranges/);

    // Host bits set: usable, with a warning naming the real block.
    await input.fill('172.20.3.9/16');
    assert.equal(
      await page.getByTestId('cidr-warning').innerText(),
      '\u26A0 172.20.3.9/16 has host bits set; the block it names is 172.20.0.0/16.',
    );

    // Nonsense: a message that names what is wrong, the field marked invalid, no crash.
    await input.fill('10.0.0.300/16');
    const error = page.getByTestId('cidr-error');
    assert.equal(await error.innerText(), '\u2716 \u201c10.0.0.300\u201d is not an IPv4 or IPv6 address.');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('cidr-result').count(), 0);

    await input.fill('192.168.4.0/22');
    assert.match(await result.innerText(), /192\.168\.4\.0 – 192\.168\.7\.255/);
    assert.equal(await input.getAttribute('aria-invalid'), 'false');
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.getByTestId('cidr-probe').screenshot({ path: `${SCREENSHOTS}/cidr-probe.png` });
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
    await server.close();
  }
});

test('the release build works from a static host under a sub-path', async () => {
  const { server, page } = await open('dist-subpath', '/teaching/spacetrace/');
  try {
    assert.ok(server.url.endsWith('/teaching/spacetrace/'));
    assert.match(await page.getByTestId('cidr-result').innerText(), /10\.0\.0\.0\/16/);
    await page.getByTestId('region-acme-prod').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
    await server.close();
  }
});
