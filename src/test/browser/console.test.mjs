// End-to-end tests of the console (src/main/webapp) and duplex.js in Debian's Chromium, headless, driven by
// playwright-core with the system browser: nothing is downloaded. Run by BrowserIT against live nodes:
//   DUPLEX_URL=http://127.0.0.1:PORT/ DUPLEX_SECURE_URL=… DUPLEX_SECURE_SECRET=… DUPLEX_SECURE_API_KEY=… \
//   DUPLEX_BRIDGE_URL=… (a node whose Kafka bridge cannot reach Kafka) \
//   CHROMIUM=/usr/bin/chromium [DUPLEX_SCREENSHOTS=docs/images] node --test console.test.mjs
// Every wait is on a condition in the page (Playwright's locators and waitForFunction), never on time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through BrowserIT (mvn verify)`);
  return value;
};
const base = env('DUPLEX_URL');
const secure = { url: env('DUPLEX_SECURE_URL'), secret: env('DUPLEX_SECURE_SECRET'), apiKey: env('DUPLEX_SECURE_API_KEY') };
const bridged = env('DUPLEX_BRIDGE_URL');
const screenshots = process.env.DUPLEX_SCREENSHOTS;
const TIMEOUT = 20_000;

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: env('CHROMIUM'), args: ['--no-sandbox'] });
});
after(() => browser?.close());

const unique = (name) => `${name}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** REST as a backend calls it, from outside the browser. */
async function rest(path, { method = 'GET', body, url = base, credential } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const response = await fetch(new URL('api/' + path, url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function publish(channel, data) {
  const { status, body } = await rest(`channels/${encodeURIComponent(channel)}/messages`, { method: 'POST', body: { data } });
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

/** An HS256 connection token, as an application's login service makes one. */
function token(user, seconds, claims = {}) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user, exp: Math.floor(Date.now() / 1000) + seconds, ...claims })}`;
  return `${unsigned}.${createHmac('sha256', secure.secret).update(unsigned).digest('base64url')}`;
}

/**
 * A fresh browser context on the console. Script errors of the page fail the test that opened it.
 * @returns {Promise<{page: import('playwright-core').Page, context: import('playwright-core').BrowserContext}>}
 */
async function openConsole(t, { url = base, viewport = { width: 1280, height: 900 }, connected = true } = {}) {
  const context = await browser.newContext({ viewport });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  t.after(() => assert.deepEqual(pageErrors.map(String), [], 'the page threw'));
  await page.goto(url);
  if (connected) await page.locator('#status[data-state="connected"]').waitFor();
  return { page, context };
}

/**
 * Subscribes in the console and waits until the server has answered the subscription: the tab appears as soon as the
 * history is loaded, the answer comes later, and a message published in between reaches the page through the
 * subscription's catch-up from the loaded offset ('recovered'), not as a push (a full run at load 9 saw exactly that).
 */
async function subscribeInConsole(page, channel) {
  await page.fill('#channel-input', channel);
  await page.click('#subscribe-form button[type="submit"]');
  await page.locator(`#feed-tabs .tab[data-channel="${channel}"]`).waitFor();
  await page.locator('#feed-summary', { hasText: `${channel}: loaded` }).waitFor();
}

/** The feed's rows as [offset, via], oldest first, once `count` rows are there. */
async function rows(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('#messages tbody tr').length >= n, count);
  const found = await page.$$eval('#messages tbody tr', (trs) => trs.map((tr) => [Number(tr.dataset.offset), tr.dataset.via]));
  return found.reverse();
}

const text = (page, selector) => page.locator(selector).textContent();

test('the console loads history over REST, then shows messages published over REST as they are pushed', async (t) => {
  const channel = unique('e2e.hybrid');
  await publish(channel, { n: 1 });
  await publish(channel, { n: 2 });
  const { page } = await openConsole(t);
  await subscribeInConsole(page, channel);
  assert.deepEqual(await rows(page, 2), [[1, 'REST'], [2, 'REST']]);
  await page.locator('#feed-summary', { hasText: 'loaded 2 over REST up to offset 2' }).waitFor();

  await publish(channel, { n: 3, text: 'from a backend' });
  assert.deepEqual(await rows(page, 3), [[1, 'REST'], [2, 'REST'], [3, 'push']]);
  assert.equal(await text(page, '#messages tr[data-offset="3"] td.data code'), '{"n":3,"text":"from a backend"}');
  await page.locator('#channel-list li', { hasText: channel }).waitFor();
});

test('a message published from the console is in the channel and its history', async (t) => {
  const channel = unique('e2e.publish');
  const { page } = await openConsole(t);
  await subscribeInConsole(page, channel);
  await page.fill('#publish-data', '{"from": "the console"}');
  await page.click('#publish-button');
  assert.deepEqual(await rows(page, 1), [[1, 'push']]);
  const history = await rest(`channels/${channel}/messages`);
  assert.deepEqual(history.body.messages.map((m) => m.data), [{ from: 'the console' }]);
});

test('presence and sessions show the console and disconnecting it from the list reconnects it', async (t) => {
  const channel = unique('e2e.presence');
  const { page } = await openConsole(t);
  await subscribeInConsole(page, channel);
  const session = await text(page, '#session');
  await page.locator('#presence li', { hasText: `${session} (this console)` }).waitFor();
  await page.click('#sessions-refresh');
  const mine = page.locator(`#sessions li[data-session="${session}"]`);
  await mine.filter({ hasText: channel }).waitFor();

  await mine.locator('button', { hasText: 'disconnect' }).click();
  await page.locator('#log li', { hasText: 'disconnected: 4001' }).waitFor();
  await page.waitForFunction((old) => {
    const now = document.querySelector('#session').textContent;
    return document.querySelector('#status').dataset.state === 'connected' && now !== old && now !== '–';
  }, session);
  const sessions = (await rest('sessions')).body.sessions.map((s) => s.session);
  assert.ok(!sessions.includes(session), 'the old session is gone');
  assert.ok(sessions.includes(await text(page, '#session')), 'the new one is listed');
});

test('a page whose connection the server closed reconnects and recovers every message it missed', async (t) => {
  const channel = unique('e2e.recover');
  const { page, context } = await openConsole(t);
  await subscribeInConsole(page, channel);
  await publish(channel, { n: 1 });
  assert.deepEqual(await rows(page, 1), [[1, 'push']]);
  const session = await text(page, '#session');

  // Offline, the browser keeps its open WebSocket but can open no new one: the server's close arrives,
  // and the page cannot come back until the test lets it.
  await context.setOffline(true);
  const deleted = await rest(`sessions/${session}`, { method: 'DELETE' });
  assert.equal(deleted.status, 204);
  await page.locator('#log li', { hasText: 'disconnected: 4001' }).waitFor();
  for (const n of [2, 3, 4]) await publish(channel, { n });
  await page.locator('#log li', { hasText: 'disconnected: 1006' }).waitFor(); // an attempt failed while offline
  assert.deepEqual(await rows(page, 1), [[1, 'push']], 'nothing arrives while away');

  await context.setOffline(false);
  await page.locator('#status[data-state="connected"]').waitFor();
  assert.deepEqual(await rows(page, 4), [[1, 'push'], [2, 'recovered'], [3, 'recovered'], [4, 'recovered']]);
  await page.locator('#feed-summary', { hasText: 'recovered 3 missed message(s)' }).waitFor();
  assert.notEqual(await text(page, '#session'), session);

  await publish(channel, { n: 5 });
  assert.deepEqual(await rows(page, 5), [[1, 'push'], [2, 'recovered'], [3, 'recovered'], [4, 'recovered'], [5, 'push']]);
  const data = await page.$$eval('#messages tbody td.data code', (codes) => codes.map((c) => JSON.parse(c.textContent).n).reverse());
  assert.deepEqual(data, [1, 2, 3, 4, 5], 'each message once, in order');
});

test('the browser\'s own EventSource resumes after the server ends its stream, missing nothing', async (t) => {
  const channel = unique('e2e.sse');
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(new URL('api/health', base).href); // any page of the node's origin
  await page.evaluate((channel) => {
    window.sse = { messages: [], subscribed: [], closes: [] };
    const source = new EventSource(`/api/channels/${encodeURIComponent(channel)}/events`);
    source.addEventListener('subscribed', (e) => window.sse.subscribed.push({ id: e.lastEventId, ...JSON.parse(e.data) }));
    source.addEventListener('close', (e) => window.sse.closes.push(JSON.parse(e.data).code));
    source.onmessage = (e) => window.sse.messages.push({ id: e.lastEventId, ...JSON.parse(e.data) });
  }, channel);
  await page.waitForFunction(() => window.sse.subscribed.length === 1);
  await publish(channel, { n: 1 });
  await publish(channel, { n: 2 });
  await page.waitForFunction(() => window.sse.messages.length === 2);

  const streams = (await rest('sessions')).body.sessions.filter((s) => s.door === 'sse' && s.channels.includes(channel));
  assert.equal(streams.length, 1, 'the stream is a session of the sse door');
  assert.equal((await rest(`sessions/${streams[0].session}`, { method: 'DELETE' })).status, 204);
  await page.waitForFunction(() => window.sse.closes.includes(4001));
  // Published while the page waits the stream's retry: advice (2 s) before it reconnects with Last-Event-ID.
  for (const n of [3, 4, 5]) await publish(channel, { n });

  await page.waitForFunction(() => window.sse.messages.length === 5);
  const sse = await page.evaluate(() => window.sse);
  assert.deepEqual(sse.messages.map((m) => m.data.n), [1, 2, 3, 4, 5], 'each message once, in order');
  assert.equal(sse.subscribed.length, 2);
  assert.equal(sse.subscribed[1].recovered, true, 'the reconnection sent Last-Event-ID and recovered');
  assert.equal(sse.subscribed[1].offset, 5, 'the missed messages came from history');
  assert.equal(sse.messages[4].id, `${sse.subscribed[0].epoch}:5`);
  const now = (await rest('sessions')).body.sessions.filter((s) => s.door === 'sse' && s.channels.includes(channel));
  assert.equal(now.length, 1);
  assert.notEqual(now[0].session, streams[0].session, 'a new session');
});

test('the polling vs push panel shows latency and request counts of both as messages flow', async (t) => {
  const { page } = await openConsole(t);
  // A little content in the feed, for the screenshot; plain names, for the same reason.
  await publish('news', { headline: 'Duplex 1.0 is out' });
  await subscribeInConsole(page, 'news');
  await publish('news', { headline: 'REST loads, WebSocket pushes' });
  await rows(page, 2);

  await page.fill('#compare-channel', 'ticker');
  await page.selectOption('#compare-interval', '500');
  await page.click('#compare-start');
  await page.click('#compare-send:enabled');
  await page.waitForFunction(() => ['#poll-messages', '#push-messages'].every((s) => document.querySelector(s).textContent === '10'));
  await page.waitForFunction(() => document.querySelectorAll('#compare-table tbody td').length === 30
    && ![...document.querySelectorAll('#compare-table tbody td')].some((td) => td.textContent === 'waiting…'));

  const figure = (selector) => text(page, selector);
  for (const selector of ['#poll-latency', '#poll-max', '#push-latency', '#push-max']) {
    assert.match(await figure(selector), /^\d+ ms$/, selector);
  }
  assert.equal(await figure('#push-requests'), '1', 'push: one subscribe');
  assert.ok(Number(await figure('#poll-requests')) >= 2, 'polling: a request per interval');
  assert.match(await figure('#poll-empty'), /^\d+$/);
  // The sessions list names the panel's own connection.
  await page.click('#sessions-refresh');
  await page.locator('#sessions li', { hasText: '(polling vs push)' }).waitFor();

  if (screenshots) {
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'console.png'), fullPage: true });
  }
});

test('the console fits a narrow screen', async (t) => {
  const { page } = await openConsole(t, { viewport: { width: 390, height: 844 } });
  await publish('news', { headline: 'the console fits a phone' });
  await subscribeInConsole(page, 'news');
  await rows(page, 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no sideways scrolling');
  const feed = await page.locator('.feed').boundingBox();
  const channels = await page.locator('.channels').boundingBox();
  assert.ok(feed.y < channels.y, 'one column, the feed first');
  if (screenshots) await page.screenshot({ path: join(screenshots, 'console-narrow.png') });
});

test('the console shows each bridge and its state, and why on hover', async (t) => {
  const { page } = await openConsole(t, { url: bridged });
  const info = page.locator('#node-info', { hasText: 'kafka bridge down' });
  await info.waitFor();
  assert.match(await text(page, '#node-info'), /^memory engine · kafka bridge down · dev mode · v/);
  assert.match(await info.getAttribute('title'), /^kafka: the cluster at 127\.0\.0\.1:\d+ (did not|does not) answer.*\(in 0, redelivered 0, skipped 0, own 0\)$/);
});

test('server errors are shown with their code and message', async (t) => {
  const { page } = await openConsole(t);
  await page.fill('#channel-input', 'bad name');
  await page.click('#subscribe-form button[type="submit"]');
  const error = page.locator('.error[data-code="invalid_channel"]');
  await error.waitFor();
  assert.match(await error.textContent(), /channel name 'bad name' has a character that is not allowed at position 4/);

  await subscribeInConsole(page, unique('e2e.errors'));
  await page.fill('#publish-data', '{not json');
  await page.click('#publish-button');
  await page.locator('.error[data-code="bad_request"]', { hasText: 'the data is not JSON' }).waitFor();
});

test('on a secured node the console says what is refused, and works once given credentials', async (t) => {
  const { page } = await openConsole(t, { url: secure.url, connected: false });
  await page.locator('#status[data-state="disconnected"]', { hasText: '1008 unauthorized' }).waitFor();
  await page.locator('.error[data-code="unauthorized"]', { hasText: 'WebSocket' }).waitFor();
  await page.locator('.error[data-code="unauthorized"]', { hasText: 'sessions' }).waitFor();

  await page.click('#credentials summary');
  await page.fill('#token-input', token('alice', 600, { subscribe: ['room.*'], publish: ['room.*'] }));
  await page.click('#credentials-form button[type="submit"]');
  await page.locator('#status[data-state="connected"]').waitFor();
  await subscribeInConsole(page, 'room.1');
  await page.fill('#channel-input', 'secret');
  await page.click('#subscribe-form button[type="submit"]');
  await page.locator('.error[data-code="permission_denied"]', { hasText: 'history of secret' }).waitFor();
  await page.locator('.error[data-code="permission_denied"]', { hasText: 'sessions' }).waitFor();

  await page.click('#credentials summary');
  await page.fill('#apikey-input', secure.apiKey);
  await page.click('#credentials-form button[type="submit"]');
  await page.locator('#sessions li', { hasText: '(this console)' }).waitFor();
});

test('duplex.js in the page answers the server\'s refresh push through its getToken hook', async (t) => {
  const { page } = await openConsole(t, { url: secure.url, connected: false });
  await page.exposeFunction('mintToken', (seconds) => token('bob', seconds, { subscribe: ['*'] }));
  const result = await page.evaluate(async () => {
    const { connect } = await import('./duplex.js');
    const first = await window.mintToken(8); // the node sends `refresh` 6 s before expiry
    const asked = [];
    const client = connect(new URL('.', location.href), {
      token: first,
      getToken: async (context) => { asked.push(context.reason); return window.mintToken(600); },
    });
    const closes = [];
    client.on('disconnected', ({ code }) => closes.push(code));
    const connected = await new Promise((resolve) => client.on('connected', resolve));
    const refreshed = await new Promise((resolve) => client.on('refreshed', resolve));
    const history = await client.history('anything');
    client.close();
    return { connected, refreshed, asked, closes, history };
  });
  assert.deepEqual(result.asked, ['refresh']);
  assert.ok(Date.parse(result.refreshed.expiresAt) > Date.parse(result.connected.expiresAt) + 60_000, JSON.stringify(result));
  assert.deepEqual(result.closes, [1000], 'only the page closed it');
  assert.equal(result.history.offset, 0, 'history over REST with the token as Bearer');
});

test('@stomp/stompjs in the page talks to the STOMP door with the browser\'s own WebSocket and a token as passcode', async (t) => {
  const channel = unique('room.stomp');
  const { page } = await openConsole(t, { url: secure.url, connected: false });
  await page.addScriptTag({ path: new URL('node_modules/@stomp/stompjs/bundles/stomp.umd.min.js', import.meta.url).pathname });
  await page.exposeFunction('publishFromABackend', (data) =>
    rest(`channels/${channel}/messages`, { method: 'POST', body: { data }, url: secure.url, credential: secure.apiKey }).then((r) => r.body));
  const passcode = token('carol', 600, { subscribe: ['room.*'], publish: ['room.*'] });
  const result = await page.evaluate(async ({ channel, passcode }) => {
    const receipt = (client, id) => new Promise((resolve) => client.watchForReceipt(id, resolve));
    const client = new window.StompJs.Client({
      brokerURL: new URL('stomp', location.href).href.replace(/^http/, 'ws'),
      connectHeaders: { passcode },
      reconnectDelay: 0,
    });
    const connected = new Promise((resolve, reject) => {
      client.onConnect = resolve;
      client.onStompError = (frame) => reject(new Error(frame.headers.message));
    });
    client.activate();
    const frame = await connected;
    const protocol = client.webSocket.protocol;
    const messages = [];
    let arrived;
    const two = new Promise((resolve) => { arrived = resolve; });
    const subscribed = receipt(client, 'sub');
    client.subscribe(`/topic/${channel}`, (message) => {
      messages.push({ body: message.body, type: message.headers['content-type'], id: message.headers['message-id'] });
      if (messages.length === 2) arrived();
    }, { receipt: 'sub' });
    await subscribed;
    const published = await window.publishFromABackend({ from: 'a backend' });
    const sent = receipt(client, 'send');
    client.publish({ destination: `/topic/${channel}`, body: 'from the page', headers: { receipt: 'send' } });
    await sent;
    await two;
    await client.deactivate();
    return { version: frame.headers.version, user: frame.headers['user-name'], protocol, published, messages };
  }, { channel, passcode });
  assert.equal(result.version, '1.2');
  assert.equal(result.user, 'carol');
  assert.equal(result.protocol, 'v12.stomp', 'the subprotocol stompjs asked for first');
  assert.deepEqual(result.messages, [
    { body: '{"from":"a backend"}', type: 'application/json', id: String(result.published.offset) },
    { body: 'from the page', type: 'text/plain;charset=utf-8', id: String(result.published.offset + 1) },
  ]);
  const history = await rest(`channels/${channel}/messages`, { url: secure.url, credential: secure.apiKey });
  assert.deepEqual(history.body.messages.map((m) => m.data), [{ from: 'a backend' }, 'from the page']);
});
