// Protocol v1 contract, checked from outside the JVM with Node's strict `ws` client and fetch.
// Run by NodeContractIT against a live node: DUPLEX_URL=http://127.0.0.1:PORT/ node --test
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const base = process.env.DUPLEX_URL;
if (!base) throw new Error('DUPLEX_URL is not set');
const wsUrl = base.replace(/^http/, 'ws') + 'ws';
const api = (path) => new URL('api/' + path, base);
// The node under test has an API key (api.key): every REST call but health and OpenAPI needs it.
const KEY = process.env.DUPLEX_API_KEY;
if (!KEY) throw new Error('DUPLEX_API_KEY is not set: run the suite against a node with an API key');
const call = (url, init = {}) => fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${KEY}` } });
const TIMEOUT = 10_000;

const opened = [];
// A failed test must not leave a socket open: it would keep the test process alive.
after(() => opened.forEach((client) => client.ws.terminate()));

class Client {
  static async open() {
    const client = new Client();
    opened.push(client);
    await client.ready;
    return client;
  }

  constructor() {
    this.frames = [];
    this.waiters = [];
    this.nextId = 1;
    this.ws = new WebSocket(wsUrl);
    this.ws.on('upgrade', (response) => { this.handshake = response; });
    this.ws.on('message', (data, binary) => {
      assert.equal(binary, false, 'the server sends text frames only');
      this.frames.push(JSON.parse(String(data)));
      this.waiters = this.waiters.filter((w) => !w());
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    this.ready = new Promise((resolve, reject) => { this.ws.on('open', resolve); this.ws.on('error', reject); });
  }

  next(match) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(match);
        if (found) { clearTimeout(timer); resolve(found); return true; }
        return false;
      };
      const timer = setTimeout(() => reject(new Error('no matching frame; got ' + JSON.stringify(this.frames))), TIMEOUT);
      if (!check()) this.waiters.push(check);
    });
  }

  request(command) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, ...command }));
    return this.next((f) => f.id === id);
  }

  async connect() {
    const reply = await this.request({ type: 'connect' });
    this.session = reply.session;
    return reply;
  }

  messages(channel) {
    return this.frames.filter((f) => f.type === 'message' && f.channel === channel);
  }

  async awaitMessages(channel, count) {
    await this.next(() => this.messages(channel).length >= count);
    return this.messages(channel);
  }

  close() { this.ws.close(); }
}

async function publish(channel, data) {
  const response = await call(api(`channels/${encodeURIComponent(channel)}/messages`), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }),
  });
  assert.equal(response.status, 201);
  return response.json();
}

const unique = (name) => `node.${name}.${Date.now()}.${Math.floor(Math.random() * 1e6)}`;

test('the handshake carries exactly one Upgrade and one Connection header', async () => {
  const client = await Client.open();
  const names = client.handshake.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
  assert.equal(client.handshake.statusCode, 101);
  assert.equal(names.filter((h) => h === 'upgrade').length, 1);
  assert.equal(names.filter((h) => h === 'connection').length, 1);
  client.close();
});

test('connect answers connected with a session id and version 1', async () => {
  const client = await Client.open();
  const reply = await client.connect();
  assert.deepEqual(Object.keys(reply).sort(), ['id', 'session', 'type', 'version']);
  assert.equal(reply.type, 'connected');
  assert.equal(reply.version, '1');
  assert.match(reply.session, /^[A-Za-z0-9_-]+$/);
  client.close();
});

test('a message published over REST is pushed to subscribers exactly as specified', async () => {
  const channel = unique('push');
  const client = await Client.open();
  await client.connect();
  const subscribed = await client.request({ type: 'subscribe', channel });
  assert.deepEqual(Object.keys(subscribed).sort(), ['channel', 'epoch', 'id', 'offset', 'type']);
  assert.equal(subscribed.offset, 0);
  const published = await publish(channel, { price: 42, tags: ['a', 'b'] });
  assert.deepEqual(published, { channel, epoch: subscribed.epoch, offset: 1 });
  const [message] = await client.awaitMessages(channel, 1);
  assert.deepEqual(message, { type: 'message', channel, offset: 1, data: { price: 42, tags: ['a', 'b'] } });
  client.close();
});

test('publish over WebSocket answers published and reaches other subscribers', async () => {
  const channel = unique('wspub');
  const subscriber = await Client.open();
  const publisher = await Client.open();
  await subscriber.connect();
  await publisher.connect();
  await subscriber.request({ type: 'subscribe', channel });
  const reply = await publisher.request({ type: 'publish', channel, data: 'hello' });
  assert.equal(reply.type, 'published');
  assert.equal(reply.channel, channel);
  assert.equal(reply.offset, 1);
  assert.equal(typeof reply.epoch, 'string');
  const [message] = await subscriber.awaitMessages(channel, 1);
  assert.equal(message.data, 'hello');
  subscriber.close();
  publisher.close();
});

test('a reconnecting client recovers exactly the messages it missed', async () => {
  const channel = unique('recover');
  const first = await Client.open();
  await first.connect();
  const { epoch } = await first.request({ type: 'subscribe', channel });
  await publish(channel, 1);
  await first.awaitMessages(channel, 1);
  first.close();
  await publish(channel, 2);
  await publish(channel, 3);
  const again = await Client.open();
  await again.connect();
  const reply = await again.request({ type: 'subscribe', channel, since: { epoch, offset: 1 } });
  assert.equal(reply.recovered, true);
  assert.equal(reply.offset, 3);
  await publish(channel, 4);
  const messages = await again.awaitMessages(channel, 3);
  assert.deepEqual(messages.map((m) => m.offset), [2, 3, 4]);
  assert.deepEqual(messages.map((m) => m.data), [2, 3, 4]);
  const wrong = await again.request({ type: 'subscribe', channel: channel + '.x', since: { epoch: 'other', offset: 0 } });
  assert.equal(wrong.recovered, false);
  again.close();
});

test('unsubscribe and presence answer as specified', async () => {
  const channel = unique('presence');
  const client = await Client.open();
  await client.connect();
  await client.request({ type: 'subscribe', channel });
  const presence = await client.request({ type: 'presence', channel });
  assert.deepEqual(presence.sessions, [{ session: client.session, user: null }]);
  const rest = await (await call(api(`channels/${channel}/presence`))).json();
  assert.deepEqual(rest, { channel, sessions: [{ session: client.session, user: null }] });
  assert.deepEqual(await client.request({ type: 'unsubscribe', channel }), { id: 4, type: 'unsubscribed', channel });
  const again = await client.request({ type: 'unsubscribe', channel });
  assert.equal(again.code, 'not_subscribed');
  assert.deepEqual(await client.request({ type: 'ping' }), { id: 6, type: 'pong' });
  client.close();
});

test('bad input gets error frames with stable codes and the connection lives', async () => {
  const client = await Client.open();
  const early = await client.request({ type: 'presence', channel: 'x' });
  assert.equal(early.code, 'not_connected');
  await client.connect();
  client.ws.send('not json');
  const malformed = await client.next((f) => f.type === 'error' && f.id === null);
  assert.equal(malformed.code, 'bad_request');
  assert.equal(typeof malformed.message, 'string');
  assert.equal((await client.request({ type: 'fly' })).code, 'unknown_command');
  assert.equal((await client.request({ type: 'subscribe', channel: 'no spaces' })).code, 'invalid_channel');
  assert.equal((await client.request({ type: 'subscribe' })).code, 'bad_request');
  assert.equal((await client.request({ type: 'ping' })).type, 'pong');
  client.close();
});

test('REST pushes to one session and disconnects it with 4001', async () => {
  const client = await Client.open();
  await client.connect();
  const pushed = await call(api(`sessions/${client.session}/messages`), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { hi: 1 } }),
  });
  assert.equal(pushed.status, 202);
  assert.deepEqual(await client.next((f) => f.type === 'direct'), { type: 'direct', data: { hi: 1 } });
  const session = await (await call(api(`sessions/${client.session}`))).json();
  assert.equal(session.session, client.session);
  const deleted = await call(api(`sessions/${client.session}`), { method: 'DELETE' });
  assert.equal(deleted.status, 204);
  assert.equal((await client.closed).code, 4001);
});

test('REST without the API key is 401 with WWW-Authenticate; health and OpenAPI stay open', async () => {
  for (const response of [await fetch(api('sessions')), await fetch(api('channels/x/messages'), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":1}' }),
    await fetch(api('sessions'), { headers: { authorization: 'Bearer wrong-key-0123456789' } })]) {
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.match(response.headers.get('www-authenticate'), /^Bearer/);
    assert.equal((await response.json()).code, 'unauthorized');
  }
  assert.equal((await fetch(api('health'))).status, 200);
  assert.equal((await fetch(api('openapi.json'))).status, 200);
});

test('REST errors are problem+json documents', async () => {
  const response = await call(api('channels/bad%20name'));
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const problem = await response.json();
  assert.equal(problem.code, 'invalid_channel');
  assert.equal(problem.status, 400);
});

test('the OpenAPI document describes the REST API', async () => {
  const response = await call(api('openapi.json'));
  assert.equal(response.status, 200);
  const document = await response.json();
  assert.match(document.openapi, /^3\./);
  for (const path of ['/api/channels/{channel}/messages', '/api/sessions/{id}', '/api/health']) {
    assert.ok(document.paths[path], `${path} is described`);
  }
  assert.ok(document.paths['/api/channels/{channel}/messages'].post, 'publish is described');
});

test('the WAR serves the console and duplex.js beside the two doors', async () => {
  const page = await fetch(base);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<title>Duplex<\/title>/);
  assert.match(html, /<script type="module" src="console\.js">/);
  for (const [file, type] of [['duplex.js', /javascript/], ['console.js', /javascript/], ['compare.js', /javascript/], ['console.css', /css/]]) {
    const response = await fetch(new URL(file, base));
    assert.equal(response.status, 200, file);
    // Browsers run an ES module only when it is served with a JavaScript type.
    assert.match(response.headers.get('content-type'), type, file);
  }
  assert.match(await (await fetch(new URL('duplex.js', base))).text(), /export function connect\(/);
});

test('what the launcher leaves at the WAR root is never served, however the path is spelled', async () => {
  // The WAR's root holds the `java -jar` launcher (io/duplex/launcher/*.class); WEB-INF and META-INF never
  // reach a browser either. Checked on every container, with or without a security feature.
  const isClassFile = (bytes) => bytes.length >= 4 && bytes.readUInt32BE(0) === 0xcafebabe;
  for (const path of ['io/duplex/launcher/Launcher.class', 'io/duplex/launcher/', 'io/', 'io',
    '%69o/duplex/launcher/Launcher.class', 'io/duplex/launcher/Launcher.class;x=1',
    'WEB-INF/web.xml', 'WEB-INF/lib-provided/', 'META-INF/MANIFEST.MF']) {
    // Followed: GlassFish and WildFly redirect `io` to `io/` before any filter runs; what counts is where it ends.
    const response = await fetch(new URL(path, base));
    const body = Buffer.from(await response.arrayBuffer());
    assert.ok(response.status >= 400 && response.status < 500, `${path} answered ${response.status} at ${response.url}`);
    assert.ok(!isClassFile(body) && !body.toString().includes('Main-Class'), `${path} served the file`);
  }
  const launcher = await fetch(new URL('io/duplex/launcher/Launcher.class', base));
  assert.ok([403, 404].includes(launcher.status), `the launcher answered ${launcher.status}`);
});

/** A text/event-stream read with fetch (undici), as any HTTP client reads it: events parsed as the HTML standard says. */
async function openEvents(path, headers = {}) {
  const controller = new AbortController();
  const response = await call(api(path), { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const stream = { response, events: [], ended: false, waiters: [], close: () => controller.abort() };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let event = {};
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line === '') {
            if (event.data !== undefined) stream.events.push({ event: 'message', ...event });
            event = {};
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') event.data = value;
            else if (field === 'id' || field === 'event') event[field] = value;
          }
        }
        stream.waiters = stream.waiters.filter((w) => !w());
      }
    } catch { /* aborted */ }
    stream.ended = true;
    stream.waiters = stream.waiters.filter((w) => !w());
  })();
  stream.next = (match) => new Promise((resolve, reject) => {
    const check = () => {
      const found = stream.events.find(match);
      if (found || stream.ended) { clearTimeout(timer); found ? resolve(found) : reject(new Error('the stream ended; got ' + JSON.stringify(stream.events))); return true; }
      return false;
    };
    const timer = setTimeout(() => reject(new Error('no matching event; got ' + JSON.stringify(stream.events))), TIMEOUT);
    if (!check()) stream.waiters.push(check);
  });
  stream.ending = () => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the stream did not end')), TIMEOUT);
    const check = () => { if (stream.ended) { clearTimeout(timer); resolve(); } return stream.ended; };
    if (!check()) stream.waiters.push(check);
  });
  return stream;
}

test('an SSE stream gets REST publishes as events, ends with a close event when its session is deleted, and resumes from Last-Event-ID', async () => {
  const channel = unique('sse');
  const first = await openEvents(`channels/${encodeURIComponent(channel)}/events`);
  assert.equal(first.response.status, 200);
  assert.match(first.response.headers.get('content-type'), /^text\/event-stream/);
  const subscribed = await first.next((e) => e.event === 'subscribed');
  const { epoch } = JSON.parse(subscribed.data);
  await publish(channel, { n: 1 });
  const message = await first.next((e) => e.event === 'message');
  assert.equal(message.id, `${epoch}:1`);
  assert.deepEqual(Object.keys(JSON.parse(message.data)).sort(), ['channel', 'data', 'offset', 'time']);
  assert.deepEqual(JSON.parse(message.data).data, { n: 1 });

  const session = first.response.headers.get('duplex-session');
  const listed = await (await call(api(`sessions/${session}`))).json();
  assert.equal(listed.door, 'sse');
  assert.equal((await call(api(`sessions/${session}`), { method: 'DELETE' })).status, 204);
  const close = await first.next((e) => e.event === 'close');
  assert.equal(JSON.parse(close.data).code, 4001);
  await first.ending();

  await publish(channel, { n: 2 });
  const second = await openEvents(`channels/${encodeURIComponent(channel)}/events`, { 'last-event-id': message.id });
  const resumed = await second.next((e) => e.event === 'message');
  assert.equal(resumed.id, `${epoch}:2`);
  assert.equal(JSON.parse((await second.next((e) => e.event === 'subscribed')).data).recovered, true);
  second.close();
});

test('a bad Last-Event-ID is a 400 problem before any stream starts', async () => {
  const response = await call(api('channels/sse.bad/events'), { headers: { accept: 'text/event-stream', 'last-event-id': 'nonsense' } });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  assert.equal((await response.json()).code, 'bad_request');
});
