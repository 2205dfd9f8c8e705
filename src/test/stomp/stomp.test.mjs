// The STOMP door (/stomp) with @stomp/stompjs as a front end uses it, unmodified, on Node's `ws` as its WebSocket.
// Run by StompNodeIT against a live node whose heartbeat.interval is 500 ms, and by the container suite
// (src/test/containers/run.sh) against each container, whose interval is the default (the heart-beat test is skipped):
//   DUPLEX_URL=http://127.0.0.1:PORT/ DUPLEX_API_KEY=… [DUPLEX_HEARTBEAT_MS=500] node --test stomp.test.mjs
// Every wait is on an event of the client, never on time alone.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

const base = process.env.DUPLEX_URL;
if (!base) throw new Error('DUPLEX_URL is not set: run the suite through StompNodeIT (mvn verify)');
const KEY = process.env.DUPLEX_API_KEY;
if (!KEY) throw new Error('DUPLEX_API_KEY is not set');
const stompUrl = base.replace(/^http/, 'ws') + 'stomp';
// The node's heartbeat.interval, when it is short enough to watch heart-beats in a test.
const HEARTBEAT_MS = process.env.DUPLEX_HEARTBEAT_MS;
const TIMEOUT = 10_000;
const clients = [];
// A failed test must not leave a client running: it would keep the test process alive.
after(() => Promise.all(clients.map((c) => c.deactivate({ force: true }))));

const unique = (name) => `${name}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Publishes over REST as a backend does; returns the 201's body (channel, epoch, offset). */
async function publish(channel, data) {
  const response = await fetch(new URL(`api/channels/${encodeURIComponent(channel)}/messages`, base), {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify({ data }),
  });
  assert.equal(response.status, 201);
  return response.json();
}

/** A stompjs client on ws, activated; resolves with the client and its CONNECTED frame. */
async function connect(options = {}) {
  const events = { errors: [], closes: [], heartbeats: 0, lost: 0 };
  let connected;
  const ready = new Promise((resolve, reject) => {
    connected = resolve;
    events.reject = reject;
  });
  const client = new Client({
    webSocketFactory: () => new WebSocket(stompUrl, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
    reconnectDelay: 0,
    heartbeatIncoming: 0,
    heartbeatOutgoing: 0,
    ...options,
    onConnect: (frame) => connected(frame),
    onStompError: (frame) => events.errors.push(frame),
    onWebSocketClose: (event) => { events.closes.push(event); events.reject(new Error(`closed ${event.code} before CONNECTED`)); },
    onHeartbeatReceived: () => { events.heartbeats++; },
    onHeartbeatLost: () => { events.lost++; },
  });
  clients.push(client);
  client.activate();
  const frame = await within(ready, 'CONNECTED');
  return { client, frame, events };
}

/** Subscribes with a receipt and resolves once the server confirmed it; messages collect in the returned list. */
async function subscribe(client, destination, headers = {}) {
  const messages = [];
  const receipt = unique('r');
  const confirmed = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  const subscription = client.subscribe(destination, (message) => messages.push(message), { receipt, ...headers });
  await within(confirmed, `the RECEIPT of SUBSCRIBE ${destination}`);
  return { subscription, messages };
}

async function until(condition, what) {
  await within(new Promise((resolve) => {
    const check = () => (condition() ? resolve() : setTimeout(check, 10));
    check();
  }), what);
}

test('stompjs connects with STOMP 1.2 and the node names itself', async () => {
  const { client, frame } = await connect();
  assert.equal(frame.headers.version, '1.2');
  assert.match(frame.headers.server, /^Duplex\//);
  assert.ok(frame.headers.session);
  await client.deactivate();
});

test('a JSON SEND and a text SEND come back to a subscriber as they were sent, with receipts', async () => {
  const { client, events } = await connect();
  const channel = unique('stomp.send');
  const { subscription, messages } = await subscribe(client, `/topic/${channel}`);

  const receipt = unique('send');
  const sent = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  client.publish({ destination: `/topic/${channel}`, body: JSON.stringify({ a: [1, 'é'] }), headers: { 'content-type': 'application/json', receipt } });
  await within(sent, 'the RECEIPT of SEND');
  client.publish({ destination: `/topic/${channel}`, body: 'plain text: with a colon\nand a line' });

  await until(() => messages.length === 2, 'two MESSAGE frames');
  const [json, text] = messages;
  assert.deepEqual(JSON.parse(json.body), { a: [1, 'é'] });
  assert.equal(json.headers['content-type'], 'application/json');
  assert.equal(json.headers.destination, `/topic/${channel}`);
  assert.equal(json.headers.subscription, subscription.id);
  assert.match(json.headers['message-id'], /^[0-9]+$/);
  assert.equal(Number(text.headers['message-id']), Number(json.headers['message-id']) + 1, 'message-id is the offset');
  assert.equal(text.body, 'plain text: with a colon\nand a line');
  assert.equal(text.headers['content-type'], 'text/plain;charset=utf-8');
  assert.deepEqual(events.errors, []);
  await client.deactivate();
});

test('a message published over REST reaches a stompjs subscription once, its message-id the offset REST answered', async () => {
  const { client } = await connect();
  const channel = unique('stomp.rest');
  const { messages } = await subscribe(client, `/topic/${channel}`);
  const first = await publish(channel, { n: 1 });
  const second = await publish(channel, 'two');
  await until(() => messages.length === 2, 'both messages');
  assert.deepEqual(messages.map((m) => m.headers['message-id']), [String(first.offset), String(second.offset)]);
  assert.deepEqual(JSON.parse(messages[0].body), { n: 1 });
  assert.equal(messages[1].body, 'two');
  await client.deactivate();
});

test('after UNSUBSCRIBE nothing more arrives for the subscription', async () => {
  const { client, events } = await connect();
  const gone = unique('stomp.gone');
  const kept = unique('stomp.kept');
  const left = await subscribe(client, `/topic/${gone}`);
  const stays = await subscribe(client, `/topic/${kept}`);
  const receipt = unique('unsub');
  const done = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  left.subscription.unsubscribe({ receipt });
  await within(done, 'the RECEIPT of UNSUBSCRIBE');
  await publish(gone, 'lost');
  await publish(kept, 'marker');
  await until(() => stays.messages.length === 1, 'the marker');
  assert.equal(left.messages.length, 0);
  assert.deepEqual(events.errors, []);
  await client.deactivate();
});

test('heart-beats are negotiated, and the node\'s keep a stompjs client that checks them connected',
  { skip: !HEARTBEAT_MS && 'DUPLEX_HEARTBEAT_MS is not set: the node\'s heartbeat.interval is too long to watch' }, async () => {
  const { client, frame, events } = await connect({ heartbeatIncoming: 200, heartbeatOutgoing: 200 });
  // Each side at the slower of what it can and what the other wants: the node's heartbeat.interval.
  assert.equal(frame.headers['heart-beat'], `${HEARTBEAT_MS},${HEARTBEAT_MS}`);
  // stompjs closes when it hears nothing for twice the interval; the node's end-of-lines keep it open.
  await until(() => events.heartbeats >= 4, 'four heart-beats from the node');
  assert.equal(events.lost, 0);
  assert.equal(client.connected, true);
  assert.deepEqual(events.closes, []);
  await client.deactivate();
});

test('a frame the node cannot take is answered with ERROR, then the connection closes with 1008', async () => {
  const { client, events } = await connect();
  client.publish({ destination: '/queue/orders', body: 'x' });
  await until(() => events.errors.length === 1 && events.closes.length === 1, 'the ERROR and the close');
  assert.match(events.errors[0].headers.message, /\/topic\/\{channel\}/);
  assert.equal(events.errors[0].headers.code, 'bad_request');
  assert.equal(events.closes[0].code, 1008);
  await client.deactivate();
});

test('DISCONNECT is answered with its RECEIPT and a clean close', async () => {
  const debug = [];
  const { client, events } = await connect({ debug: (line) => debug.push(line) });
  await subscribe(client, `/topic/${unique('stomp.bye')}`);
  // stompjs sends DISCONNECT with a receipt and closes the socket once the RECEIPT is in.
  await client.deactivate();
  await until(() => events.closes.length === 1, 'the close');
  assert.ok(debug.some((line) => line.startsWith('<<< RECEIPT') && line.includes('receipt-id:close-')), 'the RECEIPT of DISCONNECT');
  // Whoever closes first, the close is a clean one: 1000 from the node, or no code from stompjs's own close (1005).
  assert.ok(events.closes[0].wasClean, 'a clean close');
  assert.ok([1000, 1005].includes(events.closes[0].code), `closed with ${events.closes[0].code}`);
  assert.deepEqual(events.errors, []);
});
