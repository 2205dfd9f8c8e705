// pusher-js's web build, unmodified, in Debian's Chromium (driven by playwright-core, which downloads no browser),
// against a live Duplex node; the page and its auth endpoint are served by this suite from one origin, the
// authorisations signed by the pusher server SDK. Run by PusherClientsIT:
// CHROMIUM=/usr/bin/chromium DUPLEX_URL=… PUSHER_APP_ID=… PUSHER_KEY=… PUSHER_SECRET=… node --test browser.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import PusherClient from 'pusher-js';
import PusherServer from 'pusher';

const base = new URL(process.env.DUPLEX_URL ?? '');
const { PUSHER_APP_ID: APP_ID, PUSHER_KEY: KEY, PUSHER_SECRET: SECRET, CHROMIUM } = process.env;
if (!APP_ID || !KEY || !SECRET || !CHROMIUM) throw new Error('PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET and CHROMIUM must be set');
const TIMEOUT = 10_000;
const backend = new PusherServer({ appId: APP_ID, key: KEY, secret: SECRET, host: base.hostname, port: base.port, useTLS: false });
const webBuild = readFileSync(createRequire(import.meta.url).resolve('pusher-js/dist/web/pusher.min.js'));

const page = `<!doctype html><meta charset="utf-8"><title>pusher-js on Duplex</title><script src="/pusher.min.js"></script>
<script>
  window.seen = [];
  window.pusher = new Pusher(${JSON.stringify(KEY)}, {
    cluster: 'duplex', wsHost: ${JSON.stringify(base.hostname)}, wsPort: ${Number(base.port)}, forceTLS: false,
    enabledTransports: ['ws'], disableStats: true,
    channelAuthorization: { endpoint: '/pusher/auth', transport: 'ajax', params: { user_id: 'browser' } },
  });
  window.join = (name) => new Promise((resolve) => {
    const channel = pusher.subscribe(name);
    channel.bind_global((event, data) => seen.push({ channel: name, event, data }));
    channel.bind('pusher:subscription_succeeded', () => resolve(channel.members ? channel.members.count : null));
  });
</script>`;

let site;
let browser;
const clients = [];
before(async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/pusher.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(webBuild);
    } else if (req.url === '/pusher/auth') {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const channel = form.get('channel_name');
        const user = form.get('user_id');
        const answer = channel.startsWith('presence-')
          ? backend.authorizeChannel(form.get('socket_id'), channel, { user_id: user, user_info: { name: `User ${user}` } })
          : backend.authorizeChannel(form.get('socket_id'), channel);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = server;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  clients.forEach((c) => c.disconnect());
  await browser?.close();
  site?.close();
});

function until(emitter, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${TIMEOUT} ms`)), TIMEOUT);
    emitter.bind(event, (data) => { clearTimeout(timer); resolve(data); });
  });
}

test('pusher-js in Chromium joins public, private and presence channels, receives events and sends client events', async () => {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${site.address().port}/`);
  assert.equal(await tab.evaluate(() => join('browser-news')), null);
  assert.equal(await tab.evaluate(() => join('private-browser')), null);
  assert.equal(await tab.evaluate(() => join('presence-browser')), 1);

  // A Node pusher-js client of the same app, to see the browser from the other side.
  const node = new PusherClient(KEY, {
    cluster: 'duplex', wsHost: base.hostname, wsPort: Number(base.port), forceTLS: false, enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: { endpoint: `http://127.0.0.1:${site.address().port}/pusher/auth`, transport: 'ajax', params: { user_id: 'node' } },
  });
  clients.push(node);
  const room = node.subscribe('presence-browser');
  await until(room, 'pusher:subscription_succeeded');
  assert.deepEqual(room.members.get('browser').info, { name: 'User browser' });

  await backend.trigger(['browser-news', 'private-browser'], 'headline', { title: 'from the SDK' });
  const waveFromBrowser = until(room, 'client-wave');
  await tab.evaluate(() => pusher.channel('presence-browser').trigger('client-wave', { from: 'chromium' }));
  assert.deepEqual(await waveFromBrowser, { from: 'chromium' });
  await tab.waitForFunction(() => seen.filter((e) => e.event === 'headline').length === 2
    && seen.some((e) => e.event === 'pusher:member_added' && e.data.id === 'node'), null, { timeout: TIMEOUT });
  const headlines = await tab.evaluate(() => seen.filter((e) => e.event === 'headline'));
  assert.deepEqual(headlines.map((e) => e.channel).sort(), ['browser-news', 'private-browser']);
  assert.deepEqual(headlines[0].data, { title: 'from the SDK' });
  await tab.close();
});
