// Unit tests of duplex.js: reconnect, backoff, recovery, token refresh and errors, against a fake socket
// and Node's mocked timers, so every delay is exact and no test waits for real time.
// Run by the Maven build (`mvn verify`, phase test): node --test src/test/js/
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as duplex from '../../main/js/duplex.js';

const { connect, reconnectDelay, afterClose, endpoints, DuplexError, DEFAULT_BACKOFF } = duplex;

/** A WebSocket the test plays the server of: it records what the client sends and delivers what the test says. */
class FakeSocket {
  static all = [];

  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closedWith = null;
    FakeSocket.all.push(this);
  }

  static get last() {
    return FakeSocket.all.at(-1);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code = 1005) {
    this.closedWith = code;
  }

  // ---- the server's side ----
  open() {
    this.onopen?.({});
  }

  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code, reason = '') {
    this.onclose?.({ code, reason });
  }

  /** The last command of this type the client sent. */
  command(type) {
    const found = this.sent.filter((f) => f.type === type).at(-1);
    assert.ok(found, `the client sent no ${type}; it sent ${JSON.stringify(this.sent)}`);
    return found;
  }

  reply(type, frame) {
    this.receive({ id: this.command(type).id, ...frame });
  }

  accept(session = 'S1') {
    this.open();
    this.reply('connect', { type: 'connected', session, version: '1' });
  }
}

/** Lets queued microtasks and promise callbacks run (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A client on a FakeSocket, with every event it emitted recorded. */
async function client(options = {}) {
  const events = [];
  const c = connect('http://node.test/', { WebSocket: FakeSocket, random: () => 0.5, ...options });
  for (const name of ['connecting', 'connected', 'disconnected', 'direct', 'refresh', 'refreshed', 'error']) {
    c.on(name, (payload) => events.push({ name, ...(payload instanceof Error ? { error: payload } : payload) }));
  }
  await settle();
  return { c, events, named: (name) => events.filter((e) => e.name === name) };
}

beforeEach(() => {
  FakeSocket.all = [];
  mock.timers.enable({ apis: ['setTimeout'] });
});
afterEach(() => mock.timers.reset());

describe('reconnectDelay', () => {
  test('doubles from initialDelay and keeps to the upper half of each window', () => {
    assert.deepEqual([0, 1, 2, 3].map((n) => reconnectDelay(n, DEFAULT_BACKOFF, () => 0)), [250, 500, 1000, 2000]);
    assert.deepEqual([0, 1, 2, 3].map((n) => reconnectDelay(n, DEFAULT_BACKOFF, () => 0.999999)), [500, 1000, 2000, 4000]);
  });

  test('never exceeds maxDelay, however many attempts failed', () => {
    for (const attempt of [10, 50, 1000]) {
      const delay = reconnectDelay(attempt, DEFAULT_BACKOFF, () => 0.999999);
      assert.equal(delay, DEFAULT_BACKOFF.maxDelay);
      assert.ok(reconnectDelay(attempt, DEFAULT_BACKOFF, () => 0) >= DEFAULT_BACKOFF.maxDelay / 2);
    }
  });

  test('spreads clients disconnected together over the whole window', () => {
    let seed = 42; // a fixed sequence, so the test is the same every run
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const delays = Array.from({ length: 200 }, () => reconnectDelay(3, DEFAULT_BACKOFF, random));
    assert.ok(delays.every((d) => d >= 2000 && d <= 4000));
    assert.ok(Math.min(...delays) < 2200 && Math.max(...delays) > 3800, `spread: ${Math.min(...delays)}–${Math.max(...delays)}`);
    assert.ok(new Set(delays).size > 150, 'few clients share a delay');
  });
});

describe('afterClose', () => {
  test('reconnects after shutdown, API disconnect, slow, heartbeat, rate, too large and network loss, and after missed messages (4006)', () => {
    for (const code of [1001, 4001, 4002, 4004, 4005, 4006, 1009, 1006, 1011]) {
      assert.equal(afterClose(code, '', false), 'reconnect', `code ${code}`);
    }
    assert.equal(afterClose(1008, 'no connect in time', false), 'reconnect');
  });

  test('an expired or refused token needs the getToken hook, else stops', () => {
    assert.equal(afterClose(4003, 'token expired', true), 'renew');
    assert.equal(afterClose(4003, 'token expired', false), 'stop');
    assert.equal(afterClose(1008, 'unauthorized', true), 'renew');
    assert.equal(afterClose(1008, 'unauthorized', false), 'stop');
  });

  test('policy closes that would repeat on every attempt stop', () => {
    for (const reason of ['origin not allowed', 'use wss://', 'too many connections for this user']) {
      assert.equal(afterClose(1008, reason, true), 'stop', reason);
    }
  });
});

describe('endpoints', () => {
  test('derive the WebSocket and REST URLs from a base URL, with or without a context path', () => {
    assert.deepEqual(endpoints('http://h:8080/'), { ws: 'ws://h:8080/ws', api: 'http://h:8080/api/' });
    assert.deepEqual(endpoints('https://h/duplex'), { ws: 'wss://h/duplex/ws', api: 'https://h/duplex/api/' });
    assert.deepEqual(endpoints('wss://h/duplex/ws?x=1'), { ws: 'wss://h/duplex/ws', api: 'https://h/duplex/api/' });
  });

  test('refuse what is not a node URL, saying why', () => {
    assert.throws(() => endpoints('ftp://h/'), { code: 'bad_request', message: /not an http\(s\) or ws\(s\) URL/ });
    assert.throws(() => endpoints('ws://h/socket'), { code: 'bad_request', message: /ends with \/ws/ });
    // Node has no page to resolve a relative URL against.
    assert.throws(() => endpoints('/'), { code: 'bad_request', message: /relative URL needs a page/ });
  });
});

describe('connecting', () => {
  test('sends connect with the token first and reports connecting, then connected', async () => {
    const { c, events } = await client({ token: 'T1' });
    const socket = FakeSocket.last;
    assert.equal(socket.url, 'ws://node.test/ws');
    socket.accept('S1');
    assert.deepEqual(socket.sent[0], { id: 1, type: 'connect', token: 'T1' });
    assert.deepEqual(events.map((e) => e.name), ['connecting', 'connected']);
    assert.equal(c.state, 'connected');
    assert.equal(c.session, 'S1');
  });

  test('commands made before connected are sent once connected', async () => {
    const { c } = await client();
    const published = c.publish('news', { n: 1 });
    const socket = FakeSocket.last;
    socket.open();
    assert.equal(socket.sent.filter((f) => f.type === 'publish').length, 0, 'not before connected');
    socket.reply('connect', { type: 'connected', session: 'S1', version: '1' });
    socket.reply('publish', { type: 'published', channel: 'news', epoch: 'E', offset: 7 });
    assert.deepEqual(await published, { channel: 'news', epoch: 'E', offset: 7 });
  });

  test('a connection that does not answer connect in time is given up and retried', async () => {
    const { named } = await client({ timeout: 1000 });
    const socket = FakeSocket.last;
    socket.open();
    mock.timers.tick(1000);
    assert.equal(socket.closedWith, 1005, 'the client closed the silent socket');
    socket.serverClose(1006);
    assert.equal(named('disconnected')[0].reconnect, true);
  });
});

describe('reconnect and recovery', () => {
  test('after the server disconnects it, it waits the backoff delay, reconnects and resubscribes from its last position', async () => {
    const { c, named } = await client();
    const received = [];
    const sub = c.subscribe('news', (m) => received.push(m));
    const first = FakeSocket.last;
    first.accept('S1');
    first.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'E', offset: 2 });
    first.receive({ type: 'message', channel: 'news', offset: 3, data: 'c' });
    assert.deepEqual(sub.position, { epoch: 'E', offset: 3 });

    first.serverClose(4001, 'disconnected through the API');
    const [disconnected] = named('disconnected');
    assert.deepEqual(disconnected, { name: 'disconnected', code: 4001, reason: 'disconnected through the API', reconnect: true, delay: 375 });
    mock.timers.tick(374);
    await settle();
    assert.equal(FakeSocket.all.length, 1, 'no attempt before the delay');
    mock.timers.tick(1);
    await settle();
    const second = FakeSocket.last;
    assert.notEqual(second, first);
    second.accept('S2');
    assert.deepEqual(second.command('subscribe'), { id: second.command('subscribe').id, type: 'subscribe', channel: 'news', since: { epoch: 'E', offset: 3 } });

    const subscribed = [];
    sub.on('subscribed', (context) => subscribed.push(context));
    second.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'E', offset: 5, recovered: true });
    second.receive({ type: 'message', channel: 'news', offset: 4, data: 'd' });
    second.receive({ type: 'message', channel: 'news', offset: 5, data: 'e' });
    second.receive({ type: 'message', channel: 'news', offset: 6, data: 'f' });
    assert.deepEqual(subscribed, [{ channel: 'news', epoch: 'E', offset: 5, recovered: true, resubscribed: true }]);
    assert.deepEqual(received.map((m) => [m.offset, m.data, m.recovered]), [[3, 'c', false], [4, 'd', true], [5, 'e', true], [6, 'f', false]]);
  });

  test('recovered:false is reported so the page can reload, and the position jumps to the reply', async () => {
    const { c } = await client();
    const sub = c.subscribe('news', () => {});
    const first = FakeSocket.last;
    first.accept();
    first.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'E', offset: 10 });
    first.serverClose(1001, 'going away');
    mock.timers.tick(DEFAULT_BACKOFF.initialDelay);
    await settle();
    const second = FakeSocket.last;
    second.accept('S2');
    const contexts = [];
    sub.on('subscribed', (context) => contexts.push(context));
    second.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'NEW', offset: 2, recovered: false });
    assert.equal(contexts[0].recovered, false);
    assert.deepEqual(sub.position, { epoch: 'NEW', offset: 2 });
  });

  test('a message at or below the position is not delivered twice', async () => {
    const { c } = await client();
    const offsets = [];
    c.subscribe('news', (m) => offsets.push(m.offset));
    const socket = FakeSocket.last;
    socket.accept();
    socket.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'E', offset: 0 });
    for (const offset of [1, 2, 2, 1, 3]) socket.receive({ type: 'message', channel: 'news', offset, data: offset });
    assert.deepEqual(offsets, [1, 2, 3]);
  });

  test('subscribing with since asks the server for what came after it', async () => {
    const { c } = await client();
    const sub = c.subscribe('news', () => {}, { since: { epoch: 'E', offset: 41 } });
    const socket = FakeSocket.last;
    socket.accept();
    assert.deepEqual(socket.command('subscribe').since, { epoch: 'E', offset: 41 });
    socket.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'E', offset: 41, recovered: true });
    assert.deepEqual(await sub.ready, { channel: 'news', epoch: 'E', offset: 41, recovered: true, resubscribed: false });
  });

  test('failed attempts back off exponentially; a successful connect starts over', async () => {
    const { named } = await client({ random: () => 0.999999 });
    for (let i = 0; i < 4; i++) {
      FakeSocket.last.serverClose(1006);
      mock.timers.tick(named('disconnected').at(-1).delay);
      await settle();
    }
    assert.deepEqual(named('disconnected').map((e) => e.delay), [500, 1000, 2000, 4000]);
    assert.deepEqual(named('connecting').map((e) => e.attempt), [0, 1, 2, 3, 4]);
    FakeSocket.last.accept();
    FakeSocket.last.serverClose(4002, 'too slow');
    assert.equal(named('disconnected').at(-1).delay, 500);
  });

  test('coming back online reconnects at once instead of sitting out the backoff', async (t) => {
    const target = new EventTarget();
    globalThis.addEventListener = target.addEventListener.bind(target);
    globalThis.removeEventListener = target.removeEventListener.bind(target);
    t.after(() => { delete globalThis.addEventListener; delete globalThis.removeEventListener; });
    const { c } = await client({ backoff: { initialDelay: 60_000 } });
    FakeSocket.last.serverClose(1006);
    target.dispatchEvent(new Event('online'));
    await settle();
    assert.equal(FakeSocket.all.length, 2);
    c.close();
  });

  test('an unsubscribed channel delivers nothing more and is not resubscribed', async () => {
    const { c } = await client();
    const offsets = [];
    const sub = c.subscribe('news', (m) => offsets.push(m.offset));
    const first = FakeSocket.last;
    first.accept();
    first.reply('subscribe', { type: 'subscribed', channel: 'news', epoch: 'E', offset: 0 });
    const done = sub.unsubscribe();
    first.receive({ type: 'message', channel: 'news', offset: 1, data: 1 });
    first.reply('unsubscribe', { type: 'unsubscribed', channel: 'news' });
    await done;
    first.serverClose(1006);
    mock.timers.tick(DEFAULT_BACKOFF.initialDelay);
    await settle();
    FakeSocket.last.accept('S2');
    assert.deepEqual(offsets, []);
    assert.equal(FakeSocket.last.sent.filter((f) => f.type === 'subscribe').length, 0);
  });
});

describe('stopping', () => {
  test('close() ends it for good: pending calls fail with closed, no reconnect', async () => {
    const { c, named } = await client();
    FakeSocket.last.accept();
    const pending = c.publish('news', 1);
    c.close();
    await assert.rejects(pending, { code: 'closed' });
    assert.deepEqual(named('disconnected').at(-1), { name: 'disconnected', code: 1000, reason: 'closed by the client', reconnect: false });
    mock.timers.tick(60_000);
    await settle();
    assert.equal(FakeSocket.all.length, 1);
    assert.throws(() => c.subscribe('news', () => {}), { code: 'closed' });
  });

  test('a call cut off by a disconnect fails with disconnected', async () => {
    const { c } = await client();
    FakeSocket.last.accept();
    const pending = c.publish('news', 1);
    FakeSocket.last.serverClose(1006);
    await assert.rejects(pending, { code: 'disconnected' });
  });

  test('a call without a reply fails with timeout', async () => {
    const { c } = await client({ timeout: 2000 });
    FakeSocket.last.accept();
    const pending = c.presence('news');
    mock.timers.tick(2000);
    await assert.rejects(pending, { code: 'timeout', message: 'no reply to presence within 2000 ms' });
  });

  test('an unauthorized close without a getToken hook stops reconnecting', async () => {
    const { named } = await client({ token: 'bad' });
    const socket = FakeSocket.last;
    socket.open();
    socket.reply('connect', { type: 'error', code: 'unauthorized', message: 'token signature does not verify' });
    socket.serverClose(1008, 'unauthorized');
    assert.equal(named('error')[0].error.code, 'unauthorized');
    assert.deepEqual(named('disconnected').at(-1), { name: 'disconnected', code: 1008, reason: 'unauthorized', reconnect: false });
    mock.timers.tick(600_000);
    await settle();
    assert.equal(FakeSocket.all.length, 1);
  });
});

describe('tokens', () => {
  test('after 4003 the getToken hook is asked for a fresh token, which the next connect carries', async () => {
    const asked = [];
    const { c } = await client({ token: 'OLD', getToken: (context) => { asked.push(context); return 'NEW'; } });
    FakeSocket.last.accept();
    FakeSocket.last.serverClose(4003, 'token expired');
    mock.timers.tick(DEFAULT_BACKOFF.initialDelay);
    await settle();
    FakeSocket.last.open();
    assert.deepEqual(asked, [{ reason: 'expired' }]);
    assert.equal(FakeSocket.last.command('connect').token, 'NEW');
    c.close();
  });

  test('without a token, the hook gives the first one', async () => {
    await client({ getToken: () => 'FIRST' });
    FakeSocket.last.open();
    assert.equal(FakeSocket.last.command('connect').token, 'FIRST');
  });

  test('a refresh push calls the hook and sends the fresh token; reconnects use it', async () => {
    const { named } = await client({ token: 'OLD', getToken: ({ reason, expiresAt }) => `NEW for ${reason} at ${expiresAt}` });
    const socket = FakeSocket.last;
    socket.accept();
    socket.receive({ type: 'refresh', expiresAt: '2026-11-26T20:21:55Z' });
    await settle();
    assert.equal(socket.command('refresh').token, 'NEW for refresh at 2026-11-26T20:21:55Z');
    socket.reply('refresh', { type: 'refreshed', expiresAt: '2026-11-26T21:21:55Z' });
    await settle();
    assert.deepEqual(named('refresh'), [{ name: 'refresh', expiresAt: '2026-11-26T20:21:55Z' }]);
    assert.deepEqual(named('refreshed'), [{ name: 'refreshed', expiresAt: '2026-11-26T21:21:55Z' }]);
    socket.serverClose(1001);
    mock.timers.tick(DEFAULT_BACKOFF.initialDelay);
    await settle();
    FakeSocket.last.open();
    assert.equal(FakeSocket.last.command('connect').token, 'NEW for refresh at 2026-11-26T20:21:55Z');
  });

  test('a refused refresh is reported as an error event', async () => {
    const { named } = await client({ token: 'OLD', getToken: () => 'OTHER USER' });
    const socket = FakeSocket.last;
    socket.accept();
    socket.receive({ type: 'refresh', expiresAt: 'soon' });
    await settle();
    socket.reply('refresh', { type: 'error', code: 'permission_denied', message: 'the token is for another user' });
    await settle();
    assert.equal(named('error')[0].error.code, 'permission_denied');
    assert.equal(named('error')[0].error.message, 'the token is for another user');
  });
});

describe('errors', () => {
  test('a refused subscription rejects ready and is reported with its code, message and channel', async () => {
    const { c, named } = await client();
    const sub = c.subscribe('secret', () => {});
    const errors = [];
    sub.on('error', (e) => errors.push(e));
    FakeSocket.last.accept();
    FakeSocket.last.reply('subscribe', { type: 'error', code: 'permission_denied', message: "the token does not allow subscribing to 'secret'" });
    await assert.rejects(sub.ready, { code: 'permission_denied', channel: 'secret' });
    assert.equal(errors.length, 1);
    assert.equal(named('error')[0].error, errors[0]);
    assert.equal(sub.position, null);
  });

  test('an error reply rejects the call with the server code and message', async () => {
    const { c } = await client();
    FakeSocket.last.accept();
    const published = c.publish('bad name', 1);
    FakeSocket.last.reply('publish', { type: 'error', code: 'invalid_channel', message: "channel name 'bad name' has a character that is not allowed" });
    const error = await published.catch((e) => e);
    assert.ok(error instanceof DuplexError);
    assert.equal(error.code, 'invalid_channel');
    assert.match(error.message, /not allowed/);
  });

  test('bad arguments are refused at once with a clear message', async () => {
    const { c } = await client();
    assert.throws(() => c.subscribe('', () => {}), TypeError);
    assert.throws(() => c.subscribe('news'), /function to call with each message/);
    assert.throws(() => c.subscribe('news', () => {}, { since: { epoch: 'E' } }), /since must be/);
    c.subscribe('news', () => {});
    assert.throws(() => c.subscribe('news', () => {}), { code: 'bad_request', message: /already subscribed to 'news'/ });
    await assert.rejects(c.publish('news', null), { code: 'bad_request' });
    assert.throws(() => connect('http://node.test/', {}), /no WebSocket class/);
  });

  test('a listener that throws does not stop the others, and its error is reported, not swallowed', async (t) => {
    const uncaught = [];
    const previous = globalThis.reportError;
    globalThis.reportError = (error) => uncaught.push(error); // as in browsers
    t.after(() => { globalThis.reportError = previous; });
    const c = connect('http://node.test/', { WebSocket: FakeSocket });
    const heard = [];
    c.on('connecting', () => { throw new Error('page bug'); });
    c.on('connecting', () => heard.push('second'));
    await settle();
    assert.deepEqual(heard, ['second']);
    assert.equal(uncaught[0].message, 'page bug');
  });
});

describe('history over REST', () => {
  function fakeFetch(status, body) {
    const calls = [];
    const impl = async (url, init) => {
      calls.push({ url, init });
      return { ok: status < 300, status, text: async () => JSON.stringify(body) };
    };
    return { calls, impl };
  }

  test('asks the channel messages resource with the API key as Bearer credential', async () => {
    const page = { channel: 'a#b', epoch: 'E', offset: 3, messages: [] };
    const fetch = fakeFetch(200, page);
    const { c } = await client({ token: 'TOKEN', apiKey: 'KEY', fetch: fetch.impl });
    assert.deepEqual(await c.history('a#b', { since: 1, limit: 2 }), page);
    assert.equal(fetch.calls[0].url, 'http://node.test/api/channels/a%23b/messages?since=1&limit=2');
    assert.equal(fetch.calls[0].init.headers.authorization, 'Bearer KEY');
  });

  test('uses the token when there is no API key, and nothing in dev mode', async () => {
    const fetch = fakeFetch(200, {});
    const withToken = await client({ token: 'TOKEN', fetch: fetch.impl });
    await withToken.c.history('news');
    const anonymous = await client({ fetch: fetch.impl });
    await anonymous.c.history('news');
    assert.equal(fetch.calls[0].init.headers.authorization, 'Bearer TOKEN');
    assert.equal(fetch.calls[1].init.headers.authorization, undefined);
  });

  test('a problem document becomes an error with its code, detail and status', async () => {
    const fetch = fakeFetch(403, { code: 'permission_denied', status: 403, detail: "the token does not allow reading 'secret'" });
    const { c } = await client({ fetch: fetch.impl });
    await assert.rejects(c.history('secret'), { code: 'permission_denied', status: 403, message: "the token does not allow reading 'secret'" });
  });
});

test('duplex.d.ts declares exactly what duplex.js exports', async () => {
  const declarations = await readFile(new URL('../../main/js/duplex.d.ts', import.meta.url), 'utf8');
  const declared = [...declarations.matchAll(/^export (?:declare )?(?:const|function|class|interface|type) (\w+)/gm)].map((m) => m[1]);
  const values = Object.keys(duplex).sort();
  const types = ['BackoffPolicy', 'ClientOptions', 'DisconnectedContext', 'Message', 'SubscribedContext', 'ConnectedContext', 'TokenContext'];
  assert.deepEqual(declared.filter((name) => !types.includes(name)).sort(), values);
});
