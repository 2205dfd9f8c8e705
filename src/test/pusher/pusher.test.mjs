// Pusher Channels protocol 7 against a live Duplex node, with Pusher's own clients, unmodified: pusher-js (its Node
// build) on the WebSocket door, the `pusher` server SDK on the HTTP API and as the customer's backend that signs
// channel authorisations (an auth endpoint this suite serves). Run by PusherClientsIT:
// DUPLEX_URL=http://127.0.0.1:PORT/ PUSHER_APP_ID=… PUSHER_KEY=… PUSHER_SECRET=… node --test pusher.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import PusherClient from 'pusher-js';
import PusherServer from 'pusher';

const base = new URL(process.env.DUPLEX_URL ?? '');
const APP_ID = process.env.PUSHER_APP_ID;
const KEY = process.env.PUSHER_KEY;
const SECRET = process.env.PUSHER_SECRET;
if (!APP_ID || !KEY || !SECRET) throw new Error('PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET must be set');
const TIMEOUT = 10_000;

const sdk = (secret = SECRET) => new PusherServer({
  appId: APP_ID, key: KEY, secret, host: base.hostname, port: base.port, useTLS: false,
});
const backend = sdk();

// The customer's backend: authorises channels (and sign-ins) for the user its client names in `user_id`.
let authUrl;
const authServer = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const form = new URLSearchParams(body);
    const socketId = form.get('socket_id');
    const user = form.get('user_id');
    const signer = req.url.startsWith('/wrong-secret') ? sdk('not-the-app-secret') : backend;
    let answer;
    if (req.url.endsWith('/user-auth')) {
      answer = signer.authenticateUser(socketId, { id: user, name: `User ${user}` });
    } else {
      const channel = form.get('channel_name');
      answer = channel.startsWith('presence-')
        ? signer.authorizeChannel(socketId, channel, { user_id: user, user_info: { name: `User ${user}` } })
        : signer.authorizeChannel(socketId, channel);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
});

const clients = [];
before(() => new Promise((resolve) => authServer.listen(0, '127.0.0.1', () => {
  authUrl = `http://127.0.0.1:${authServer.address().port}`;
  resolve();
})));
after(() => {
  clients.forEach((c) => c.disconnect());
  authServer.close();
});

/** A pusher-js client of the app, as user `user`, connected. */
async function connect(user = 'alice', authPath = '') {
  const client = new PusherClient(KEY, {
    cluster: 'duplex',
    wsHost: base.hostname,
    wsPort: Number(base.port),
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: { endpoint: `${authUrl}${authPath}/auth`, transport: 'ajax', params: { user_id: user } },
    userAuthentication: { endpoint: `${authUrl}${authPath}/user-auth`, transport: 'ajax', params: { user_id: user } },
  });
  clients.push(client);
  await until(client.connection, 'connected');
  return client;
}

/** Resolves with the first `event` of `emitter` (a channel, a connection), or fails after TIMEOUT. */
function until(emitter, event, match = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${TIMEOUT} ms`)), TIMEOUT);
    const handler = (data, metadata) => {
      if (!match(data)) return;
      clearTimeout(timer);
      emitter.unbind(event, handler);
      resolve(data ?? metadata);
    };
    emitter.bind(event, handler);
  });
}

async function subscribed(client, name) {
  const channel = client.subscribe(name);
  await until(channel, 'pusher:subscription_succeeded');
  return channel;
}

/** Every event `channel` receives, in order. */
function record(channel) {
  const seen = [];
  channel.bind_global((event, data) => { if (!event.startsWith('pusher')) seen.push({ event, data }); });
  return seen;
}

test('a client connects and is given a socket id of the form 123.456', async () => {
  const client = await connect();
  assert.match(client.connection.socket_id, /^\d+\.\d+$/);
  client.disconnect();
});

test('an event triggered through the HTTP API reaches the subscribers of a public channel', async () => {
  const client = await connect();
  const channel = await subscribed(client, 'news');
  const received = until(channel, 'headline');
  await backend.trigger('news', 'headline', { title: 'Duplex speaks Pusher' });
  assert.deepEqual(await received, { title: 'Duplex speaks Pusher' });
  client.disconnect();
});

test('a private channel is subscribed with the backend\'s authorisation and receives events', async () => {
  const client = await connect();
  const channel = await subscribed(client, 'private-orders');
  const received = until(channel, 'order-placed');
  await backend.trigger('private-orders', 'order-placed', { id: 7 });
  assert.deepEqual(await received, { id: 7 });
  client.disconnect();
});

test('an authorisation signed with another secret is refused, and the connection carries on', async () => {
  const client = await connect('mallory', '/wrong-secret');
  const error = until(client.connection, 'error');
  client.subscribe('private-orders');
  const refused = await error;
  assert.equal(refused.type, 'PusherError');
  assert.match(refused.data.message, /Invalid signature/);
  assert.equal(client.connection.state, 'connected');
  const channel = await subscribed(client, 'still-works');
  assert.ok(channel.subscribed);
  client.disconnect();
});

test('presence members: the list, member_added and member_removed with user_info', async () => {
  const alice = await connect('alice');
  const aliceRoom = await subscribed(alice, 'presence-room');
  assert.equal(aliceRoom.members.count, 1);
  assert.equal(aliceRoom.members.me.id, 'alice');
  const added = until(aliceRoom, 'pusher:member_added');
  const bob = await connect('bob');
  const bobRoom = await subscribed(bob, 'presence-room');
  assert.equal(bobRoom.members.count, 2);
  assert.deepEqual(bobRoom.members.get('alice').info, { name: 'User alice' });
  const member = await added;
  assert.equal(member.id, 'bob');
  assert.deepEqual(member.info, { name: 'User bob' });

  const removed = until(aliceRoom, 'pusher:member_removed');
  bob.disconnect();
  assert.equal((await removed).id, 'bob');
  assert.equal(aliceRoom.members.count, 1);
  alice.disconnect();
});

test('client events reach the other subscribers, with the sender\'s user_id, and not the sender', async () => {
  const alice = await connect('alice');
  const bob = await connect('bob');
  const aliceRoom = await subscribed(alice, 'presence-chat');
  const bobRoom = await subscribed(bob, 'presence-chat');
  const aliceSaw = record(aliceRoom);
  const typing = new Promise((resolve) => bobRoom.bind('client-typing', (data, metadata) => resolve({ data, metadata })));
  assert.ok(aliceRoom.trigger('client-typing', { typing: true }));
  const got = await typing;
  assert.deepEqual(got.data, { typing: true });
  assert.equal(got.metadata.user_id, 'alice');
  // Events of one channel arrive in order: once alice has the marker, she would have had her own event before it.
  const marker = until(aliceRoom, 'marker');
  await backend.trigger('presence-chat', 'marker', {});
  await marker;
  assert.deepEqual(aliceSaw.map((e) => e.event), ['marker']);
  alice.disconnect();
  bob.disconnect();
});

test('a client event on a public channel is refused with pusher:error', async () => {
  const client = await connect();
  await subscribed(client, 'public-room');
  const error = until(client.connection, 'error');
  client.send_event('client-hello', { hi: 1 }, 'public-room');
  assert.match((await error).data.message, /only supported on private and presence channels/);
  assert.equal(client.connection.state, 'connected');
  client.disconnect();
});

test('a trigger with socket_id reaches every subscriber but that socket', async () => {
  const alice = await connect('alice');
  const bob = await connect('bob');
  const aliceNews = await subscribed(alice, 'scores');
  const bobNews = await subscribed(bob, 'scores');
  const aliceSaw = record(aliceNews);
  const bobGot = until(bobNews, 'goal');
  await backend.trigger('scores', 'goal', { by: 'alice' }, { socket_id: alice.connection.socket_id });
  assert.deepEqual(await bobGot, { by: 'alice' });
  const marker = until(aliceNews, 'marker');
  await backend.trigger('scores', 'marker', {});
  await marker;
  assert.deepEqual(aliceSaw.map((e) => e.event), ['marker']);
  alice.disconnect();
  bob.disconnect();
});

test('the SDK triggers batches and queries channels, a channel and its users', async () => {
  const alice = await connect('alice');
  const bob = await connect('bob');
  const lobby = await subscribed(alice, 'presence-lobby');
  await subscribed(bob, 'presence-lobby');
  const updates = await subscribed(bob, 'updates');
  const first = until(lobby, 'batched');
  const second = until(updates, 'batched');
  const batch = await backend.triggerBatch([
    { channel: 'presence-lobby', name: 'batched', data: { n: 1 } },
    { channel: 'updates', name: 'batched', data: { n: 2 } },
  ]);
  assert.equal(batch.status, 200);
  assert.deepEqual(await first, { n: 1 });
  assert.deepEqual(await second, { n: 2 });

  const channels = await (await backend.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } })).json();
  assert.deepEqual(channels.channels['presence-lobby'], { user_count: 2 });
  assert.equal(channels.channels.updates, undefined, 'filtered by prefix');
  const info = await (await backend.get({ path: '/channels/presence-lobby', params: { info: 'user_count,subscription_count' } })).json();
  assert.deepEqual(info, { occupied: true, user_count: 2, subscription_count: 2 });
  const users = await (await backend.get({ path: '/channels/presence-lobby/users' })).json();
  assert.deepEqual(users.users.map((u) => u.id).sort(), ['alice', 'bob']);
  const empty = await (await backend.get({ path: '/channels/nobody-here' })).json();
  assert.equal(empty.occupied, false);
  alice.disconnect();
  bob.disconnect();
});

test('a request signed with a wrong secret is refused with 401', async () => {
  await assert.rejects(sdk('not-the-app-secret').trigger('news', 'headline', {}), (e) => e.status === 401);
  await assert.rejects(sdk('not-the-app-secret').get({ path: '/channels' }), (e) => e.status === 401);
});

test('after a server-side disconnect pusher-js reconnects, subscribes again and receives events', async () => {
  const client = await connect();
  const channel = await subscribed(client, 'after-reconnect');
  const before = client.connection.socket_id;
  const sessions = await (await fetch(new URL('api/sessions', base))).json();
  const mine = sessions.sessions.filter((s) => s.door === 'pusher');
  assert.equal(mine.length, 1, JSON.stringify(sessions));
  const again = until(channel, 'pusher:subscription_succeeded');
  const gone = await fetch(new URL(`api/sessions/${mine[0].session}`, base), { method: 'DELETE' });
  assert.ok(gone.ok, `DELETE answered ${gone.status}`);
  await again;
  assert.notEqual(client.connection.socket_id, before);
  const received = until(channel, 'after');
  await backend.trigger('after-reconnect', 'after', { ok: true });
  assert.deepEqual(await received, { ok: true });
  client.disconnect();
});

test('a signed-in user receives sendToUser events, and terminate_connections closes its connections', async () => {
  const client = await connect('carol');
  const ownChannel = until(client.connection, 'message',
    (m) => m?.event === 'pusher_internal:subscription_succeeded' && m.channel === '#server-to-user-carol');
  client.signin();
  await ownChannel;
  const notice = until(client.user, 'notice');
  await backend.sendToUser('carol', 'notice', { n: 1 });
  assert.deepEqual(await notice, { n: 1 });
  const closed = until(client.connection, 'error', (e) => typeof e?.data?.code === 'number');
  const answer = await backend.terminateUserConnections('carol');
  assert.equal(answer.status, 200);
  // 4009 (unauthorized): pusher-js is told not to reconnect by itself.
  assert.equal((await closed).data.code, 4009);
  assert.notEqual(client.connection.state, 'connected');
  client.disconnect();
});

test('a Duplex REST publish to the mapped channel reaches pusher-js as duplex:message', async () => {
  const client = await connect();
  const channel = await subscribed(client, 'mixed');
  const received = until(channel, 'duplex:message');
  const published = await fetch(new URL(`api/channels/pusher:${APP_ID}:mixed/messages`, base), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { temperature: 21.5 } }),
  });
  assert.equal(published.status, 201);
  assert.deepEqual(await received, { temperature: 21.5 });
  const named = until(channel, 'reading');
  await fetch(new URL(`api/channels/pusher:${APP_ID}:mixed/messages`, base), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { event: 'reading', data: { t: 22 } } }),
  });
  assert.deepEqual(await named, { t: 22 });
  client.disconnect();
});
