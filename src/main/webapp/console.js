// The Duplex console: the product's hybrid pattern made visible. State is loaded over REST (channels,
// history, sessions), then kept live over WebSocket with duplex.js. Plain ES module, no build.
// Every URL is relative to the page, so the console works under any context path (/duplex/ on GlassFish).
import { connect, restCall } from './duplex.js';
import { startComparison } from './compare.js';

const $ = (selector) => document.querySelector(selector);
const base = new URL('.', location.href);
const HISTORY_PAGE = 50;
const MAX_ROWS = 500;
const REFRESH_MS = 5000;

const credentials = {
  token: sessionStorage.getItem('duplex.token') || undefined,
  apiKey: sessionStorage.getItem('duplex.apiKey') || undefined,
};

/** Channel → {subscription, rows, epoch, loaded, status}; the order of subscribing is the order of tabs. */
const feeds = new Map();
/** Channels whose history is being loaded, so a double click does not follow one twice. */
const loading = new Set();
let selected = null;
let client = null;
let comparison = null;

// ---- REST, with the credentials of the credentials form ----

function rest(path, options = {}) {
  return restCall(new URL('api/' + path, base), { credential: credentials.apiKey ?? credentials.token, ...options });
}

// ---- errors and the log: everything the server refuses is shown, never dropped ----

const shownErrors = new Map();

/**
 * Shows an error from the server (or the network) with its stable code. The same error from the same
 * place is shown once, with a count, so a periodic refresh that keeps failing does not flood the page.
 */
function showError(where, error) {
  const code = error?.code ?? 'error';
  const key = `${where}|${code}|${error?.message}`;
  const box = $('#errors');
  let item = shownErrors.get(key);
  if (!item) {
    item = document.createElement('div');
    item.className = 'error';
    item.dataset.code = code;
    item.innerHTML = '<strong></strong> <code></code> <span class="message"></span> <span class="count"></span> <button type="button" class="link" aria-label="dismiss">dismiss</button>';
    item.querySelector('strong').textContent = where;
    item.querySelector('code').textContent = code;
    item.querySelector('.message').textContent = error?.message ?? String(error);
    item.querySelector('button').addEventListener('click', () => {
      item.remove();
      shownErrors.delete(key);
      box.hidden = shownErrors.size === 0;
    });
    item.dataset.count = '0';
    shownErrors.set(key, item);
    box.prepend(item);
  }
  item.dataset.count = String(Number(item.dataset.count) + 1);
  item.querySelector('.count').textContent = item.dataset.count === '1' ? '' : `×${item.dataset.count}`;
  box.hidden = false;
  log(`${where}: ${code} ${error?.message ?? ''}`, 'error');
}

function log(text, kind = 'info') {
  const item = document.createElement('li');
  item.className = `log-${kind}`;
  item.innerHTML = '<time></time> <span></span>';
  item.querySelector('time').textContent = new Date().toLocaleTimeString();
  item.querySelector('span').textContent = text;
  const list = $('#log');
  list.prepend(item);
  while (list.children.length > 200) list.lastChild.remove();
}

// ---- the connection ----

function setStatus(state, detail = '') {
  const pill = $('#status');
  pill.dataset.state = state;
  pill.textContent = detail ? `${state} · ${detail}` : state;
  $('#publish-button').disabled = state !== 'connected' || selected === null;
}

function openClient() {
  client = connect(base, { token: credentials.token, apiKey: credentials.apiKey });
  client.on('connecting', ({ attempt }) => {
    setStatus('connecting', attempt > 0 ? `attempt ${attempt + 1}` : '');
    log(attempt > 0 ? `reconnecting (attempt ${attempt + 1})` : 'connecting');
  });
  client.on('connected', ({ session, expiresAt }) => {
    setStatus('connected');
    $('#session').textContent = session;
    log(`connected as session ${session}${expiresAt ? `, token valid until ${expiresAt}` : ''}`);
    refreshSessions();
    refreshPresence();
  });
  client.on('disconnected', ({ code, reason, reconnect, delay }) => {
    setStatus('disconnected', `${code}${reason ? ' ' + reason : ''}`);
    $('#session').textContent = '–';
    log(`disconnected: ${code}${reason ? ` (${reason})` : ''}; ${reconnect ? `reconnecting in ${delay} ms` : 'not reconnecting'}`, reconnect ? 'warn' : 'error');
  });
  client.on('direct', (data) => log(`direct message: ${JSON.stringify(data)}`));
  client.on('refresh', ({ expiresAt }) => log(`the token expires at ${expiresAt}: give a fresh one under Credentials to stay connected`, 'warn'));
  client.on('refreshed', ({ expiresAt }) => log(`token refreshed, valid until ${expiresAt}`));
  client.on('error', (error) => showError(error.channel ? `channel ${error.channel}` : 'WebSocket', error));
}

// ---- channels and feeds ----

/**
 * Follows a channel the hybrid way: its history over REST first, then live over WebSocket from that offset.
 * @returns {Promise<boolean>} whether the channel is followed
 */
async function follow(channel) {
  if (feeds.has(channel)) {
    select(channel);
    return true;
  }
  if (loading.has(channel)) return false;
  let page;
  loading.add(channel);
  try {
    page = await rest(`channels/${encodeURIComponent(channel)}/messages?limit=${HISTORY_PAGE}`);
  } catch (error) {
    showError(`history of ${channel}`, error);
    return false;
  } finally {
    loading.delete(channel);
  }
  const feed = { rows: page.messages.map((m) => ({ ...m, via: 'REST' })), epoch: page.epoch, loaded: page.offset, status: '' };
  try {
    feed.subscription = client.subscribe(channel, (message) => onMessage(channel, message), { since: { epoch: page.epoch, offset: page.offset } });
  } catch (error) {
    showError(`subscribe to ${channel}`, error);
    return false;
  }
  feeds.set(channel, feed);
  log(`${channel}: loaded ${page.messages.length} message(s) over REST up to offset ${page.offset}; subscribing from there`);
  feed.subscription.on('subscribed', (context) => onSubscribed(channel, context));
  feed.subscription.on('error', () => unfollow(channel, false));
  select(channel);
  return true;
}

function onMessage(channel, message) {
  const feed = feeds.get(channel);
  if (!feed) return;
  feed.rows.push({ offset: message.offset, data: message.data, time: new Date().toISOString(), via: message.recovered ? 'recovered' : 'push' });
  if (feed.rows.length > MAX_ROWS) feed.rows.splice(0, feed.rows.length - MAX_ROWS);
  if (channel === selected) renderFeed();
}

async function onSubscribed(channel, { epoch, offset, recovered, resubscribed }) {
  const feed = feeds.get(channel);
  if (!feed) return;
  if (recovered === false) {
    // The server could not fill the gap (history lost or past retention): what we show may have holes.
    log(`${channel}: not recovered (epoch ${epoch}, offset ${offset}); reloading over REST`, 'warn');
    try {
      const page = await rest(`channels/${encodeURIComponent(channel)}/messages?limit=${HISTORY_PAGE}`);
      feed.rows = page.messages.filter((m) => m.offset <= offset).map((m) => ({ ...m, via: 'REST' })).concat(feed.rows.filter((r) => r.offset > offset));
      feed.status = `reloaded over REST after an unrecoverable gap, live from offset ${offset}`;
    } catch (error) {
      showError(`history of ${channel}`, error);
    }
  } else if (resubscribed) {
    // The missed messages follow this reply: the position is still the last one seen before the gap.
    const last = feed.subscription.position?.offset ?? offset;
    feed.status = `resubscribed after offset ${last}: recovered ${offset - last} missed message(s), live again`;
    log(`${channel}: resubscribed after offset ${last}, recovering ${offset - last} missed message(s) up to offset ${offset}`);
  } else {
    feed.status = `loaded ${feed.rows.length} over REST up to offset ${feed.loaded}, live over WebSocket from there`;
  }
  feed.epoch = epoch;
  if (channel === selected) renderFeed();
  refreshPresence();
  refreshSessions();
}

function unfollow(channel, ask = true) {
  const feed = feeds.get(channel);
  if (!feed) return;
  feeds.delete(channel);
  if (ask) feed.subscription.unsubscribe().catch((error) => showError(`unsubscribe ${channel}`, error));
  if (selected === channel) selected = feeds.keys().next().value ?? null;
  renderTabs();
  renderFeed();
  refreshPresence();
}

function select(channel) {
  selected = channel;
  renderTabs();
  renderFeed();
  refreshPresence();
}

function renderTabs() {
  const tabs = $('#feed-tabs');
  tabs.replaceChildren(...[...feeds.keys()].map((channel) => {
    const tab = document.createElement('span');
    tab.className = 'tab';
    tab.dataset.channel = channel;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-selected', String(channel === selected));
    const name = document.createElement('button');
    name.type = 'button';
    name.textContent = channel;
    name.addEventListener('click', () => select(channel));
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.title = `unsubscribe from ${channel}`;
    close.textContent = '×';
    close.addEventListener('click', () => unfollow(channel));
    tab.append(name, close);
    return tab;
  }));
}

function renderFeed() {
  const body = $('#messages tbody');
  const feed = feeds.get(selected);
  $('#feed-summary').textContent = feed ? `${selected}: ${feed.status}` : 'Subscribe to a channel to see its messages.';
  $('#publish-button').disabled = !feed || client.state !== 'connected';
  if (!feed) {
    body.replaceChildren();
    return;
  }
  body.replaceChildren(...feed.rows.slice().reverse().map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.offset = String(row.offset);
    tr.dataset.via = row.via;
    tr.innerHTML = '<td class="offset"></td><td class="time"></td><td><span class="via"></span></td><td class="data"><code></code></td>';
    tr.querySelector('.offset').textContent = `#${row.offset}`;
    tr.querySelector('.time').textContent = new Date(row.time).toLocaleTimeString();
    tr.querySelector('.via').textContent = row.via;
    tr.querySelector('.via').dataset.via = row.via;
    tr.querySelector('code').textContent = JSON.stringify(row.data);
    return tr;
  }));
}

async function refreshChannels() {
  try {
    const { channels } = await rest('channels');
    $('#channel-list').replaceChildren(...channels.map(({ channel, offset, subscribers }) => {
      const item = document.createElement('li');
      item.dataset.channel = channel;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link';
      button.textContent = channel;
      button.title = `subscribe to ${channel}`;
      button.addEventListener('click', () => follow(channel));
      const facts = document.createElement('span');
      facts.className = 'muted';
      facts.textContent = `offset ${offset} · ${subscribers} subscriber${subscribers === 1 ? '' : 's'}`;
      item.append(button, facts);
      return item;
    }));
  } catch (error) {
    showError('channels', error);
  }
}

let sessionsAsked = 0;

async function refreshSessions() {
  const asked = ++sessionsAsked;
  try {
    const { sessions } = await rest('sessions');
    // Answers can cross: the one to the page's first load may arrive after the one asked once connected.
    if (asked !== sessionsAsked) return;
    $('#sessions').replaceChildren(...sessions.map((s) => {
      const item = document.createElement('li');
      item.dataset.session = s.session;
      const mine = s.session === client.session ? ' (this console)' : comparison?.session() === s.session ? ' (polling vs push)' : '';
      item.innerHTML = '<code></code><span class="muted"></span><button type="button" class="danger">disconnect</button>';
      item.querySelector('code').textContent = s.session + mine;
      item.querySelector('.muted').textContent = `${s.user ?? 'anonymous'} · ${s.remote} · ${s.channels.length ? s.channels.join(', ') : 'no channels'}`;
      item.querySelector('button').addEventListener('click', () => disconnectSession(s.session));
      return item;
    }));
  } catch (error) {
    showError('sessions', error);
  }
}

async function disconnectSession(session) {
  try {
    // Logged first: the 4001 close of the console's own session can arrive before the answer.
    log(`asking the server to disconnect session ${session} (DELETE /api/sessions/${session})`);
    await rest(`sessions/${encodeURIComponent(session)}`, { method: 'DELETE' });
  } catch (error) {
    showError(`disconnect ${session}`, error);
  }
  refreshSessions();
}

async function refreshPresence() {
  $('#presence-channel').textContent = selected ?? '';
  if (!selected || client.state !== 'connected') {
    $('#presence').replaceChildren();
    return;
  }
  const channel = selected;
  try {
    const sessions = await client.presence(channel);
    if (channel !== selected) return;
    $('#presence').replaceChildren(...sessions.map(({ session, user }) => {
      const item = document.createElement('li');
      item.textContent = `${session}${session === client.session ? ' (this console)' : ''} · ${user ?? 'anonymous'}`;
      return item;
    }));
  } catch (error) {
    if (error.code !== 'disconnected') showError(`presence of ${channel}`, error);
  }
}

// ---- forms ----

$('#subscribe-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('#channel-input');
  const channel = input.value.trim();
  if (!channel) return;
  follow(channel).then((followed) => {
    if (followed && input.value.trim() === channel) input.value = '';
    refreshChannels();
  });
});

$('#publish-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!selected) return;
  let data;
  try {
    data = JSON.parse($('#publish-data').value);
  } catch (error) {
    showError('publish', { code: 'bad_request', message: `the data is not JSON: ${error.message}` });
    return;
  }
  try {
    const { offset } = await client.publish(selected, data);
    log(`published to ${selected} at offset ${offset}`);
  } catch (error) {
    showError(`publish to ${selected}`, error);
  }
});

$('#credentials-form').addEventListener('submit', (event) => {
  event.preventDefault();
  for (const [key, input] of [['token', '#token-input'], ['apiKey', '#apikey-input']]) {
    const value = $(input).value.trim();
    credentials[key] = value || undefined;
    if (value) sessionStorage.setItem(`duplex.${key}`, value);
    else sessionStorage.removeItem(`duplex.${key}`);
  }
  $('#credentials').open = false;
  const channels = [...feeds.keys()];
  client.close();
  feeds.clear();
  selected = null;
  openClient();
  channels.forEach((channel) => follow(channel));
  refreshAll();
});

$('#channels-refresh').addEventListener('click', refreshChannels);
$('#sessions-refresh').addEventListener('click', refreshSessions);

$('#compare-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (comparison) {
    comparison.stop();
    comparison = null;
    $('#compare-start').textContent = 'Start';
    $('#compare-send').disabled = true;
    return;
  }
  comparison = startComparison({
    base,
    credentials,
    channel: $('#compare-channel').value.trim(),
    interval: Number($('#compare-interval').value),
    rest,
    onError: showError,
    log,
  });
  $('#compare-start').textContent = 'Stop';
  const running = comparison;
  // Sending waits until both sides follow the channel, so that both see every message sent.
  running.ready.then(() => { $('#compare-send').disabled = comparison !== running; }, () => {});
});
$('#compare-send').addEventListener('click', () => comparison?.send(10));

// ---- start ----

async function refreshAll() {
  await Promise.all([refreshChannels(), refreshSessions()]);
  try {
    const health = await rest('health');
    // Bridges (Kafka...) follow the engine: their state here, their detail, counters and backlog on hover.
    const bridges = (health.bridges ?? []).map((b) => `${b.name} bridge ${b.state}`);
    $('#node-info').textContent = [`${health.engine} engine`, ...bridges, `${health.mode} mode`, `v${health.version}`].join(' · ');
    $('#node-info').title = (health.bridges ?? [])
      .map((b) => `${b.name}: ${b.detail} (${Object.entries(b.counters).map(([k, v]) => `${k} ${v}`).join(', ')})`
        + (b.backlog == null ? '' : `; ${b.backlog} waiting`)).join('\n');
  } catch (error) {
    showError('health', error);
  }
}

$('#token-input').value = credentials.token ?? '';
$('#apikey-input').value = credentials.apiKey ?? '';
openClient();
refreshAll();
// Others connect, publish and leave too; a light periodic look keeps the side panels honest.
setInterval(() => {
  if (document.visibilityState === 'visible') {
    refreshChannels();
    refreshSessions();
    refreshPresence();
  }
}, REFRESH_MS);
