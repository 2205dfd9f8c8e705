/**
 * duplex.js: the JavaScript client of Duplex protocol v1 (docs/protocol.md), for browsers and Node.js.
 * One dependency-free ES module. It keeps a WebSocket to a node, reconnects by itself with jittered
 * exponential backoff, resubscribes with the last `{epoch, offset}` it saw so that nothing is missed, and
 * says so (`recovered: false`) when history cannot fill the gap. History goes over REST.
 *
 * @example
 * import { connect } from '/duplex.js';
 * const client = connect('https://duplex.example.com/', { token });
 * client.on('disconnected', ({ code, reason }) => console.log('lost', code, reason));
 * const news = client.subscribe('news', (m) => console.log(m.offset, m.data));
 * news.on('subscribed', ({ recovered }) => { if (recovered === false) reloadOverRest(); });
 * await client.publish('news', { headline: 'hello' });
 *
 * @module duplex
 */

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = '1';

/**
 * @typedef {object} BackoffPolicy
 * @property {number} initialDelay ms before the first reconnect attempt, at most (default 500)
 * @property {number} maxDelay ms between attempts, at most, however many failed (default 20000)
 * @property {number} factor how much the delay grows per failed attempt (default 2)
 */

/** @type {Readonly<BackoffPolicy>} */
export const DEFAULT_BACKOFF = Object.freeze({ initialDelay: 500, maxDelay: 20_000, factor: 2 });

/**
 * @typedef {object} ClientOptions
 * @property {string} [token] connection token (JWT) sent with `connect`; also the REST credential when no `apiKey`
 * @property {(context: {reason: 'connect' | 'refresh' | 'expired' | 'unauthorized', expiresAt?: string}) => (string | Promise<string>)} [getToken]
 *   the token refresh hook: called for a fresh token when the server sends `refresh`, after 4003 (token
 *   expired), after an `unauthorized` close, and before connecting when there is no token yet
 * @property {string} [apiKey] REST credential (`Authorization: Bearer`) for `history`, instead of the token
 * @property {Partial<BackoffPolicy>} [backoff] reconnect delays
 * @property {number} [timeout] ms a command (or a connect) may take before it fails with `timeout` (default 10000)
 * @property {typeof WebSocket} [WebSocket] the WebSocket class, where there is no global one (Node 20: `ws`)
 * @property {typeof fetch} [fetch] the fetch function, for tests or older runtimes
 * @property {() => number} [random] a number in [0, 1) for the jitter (default Math.random)
 */

/**
 * @typedef {object} Message
 * @property {string} channel
 * @property {string} epoch the channel history this offset belongs to
 * @property {number} offset
 * @property {unknown} data
 * @property {boolean} recovered true when delivered from history after a gap (a reconnect or a `since`)
 */

/**
 * @typedef {object} SubscribedContext
 * @property {string} channel
 * @property {string} epoch
 * @property {number} offset the channel's latest offset when the subscription was made
 * @property {boolean} [recovered] present when subscribed with `since`: false means messages were lost,
 *   reload the channel's state over REST
 * @property {boolean} resubscribed true when this follows a reconnect
 */

/**
 * @typedef {object} DisconnectedContext
 * @property {number} code the WebSocket close code (docs/protocol.md, "Close codes")
 * @property {string} reason
 * @property {boolean} reconnect whether the client will try again by itself
 * @property {number} [delay] ms until that attempt
 */

/** A failure with a stable `code`: the server's error codes, or the client's own (see README). */
export class DuplexError extends Error {
  /**
   * @param {string} code stable, for programs: `invalid_channel`, `permission_denied`, `timeout`, `disconnected`, …
   * @param {string} message for people
   * @param {{status?: number}} [details] `status` for REST failures
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'DuplexError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
  }
}

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): exponential growth capped at
 * `maxDelay`, then "equal jitter", a random point in the upper half. The lower half keeps a flapping
 * server from being hammered; the random half spreads the clients a restart disconnected all at once,
 * so they do not come back as one herd.
 * @param {number} attempt
 * @param {BackoffPolicy} [policy]
 * @param {() => number} [random]
 * @returns {number} ms
 */
export function reconnectDelay(attempt, policy = DEFAULT_BACKOFF, random = Math.random) {
  const ceiling = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * What to do after the server closed the connection with `code`:
 * `reconnect`, `renew` (reconnect with a fresh token from `getToken`) or `stop`.
 * @param {number} code
 * @param {string} reason
 * @param {boolean} canRenew whether a `getToken` hook is set
 * @returns {'reconnect' | 'renew' | 'stop'}
 */
export function afterClose(code, reason, canRenew) {
  if (code === 4003 || (code === 1008 && reason === 'unauthorized')) {
    return canRenew ? 'renew' : 'stop';
  }
  // The other policy closes (origin not allowed, use wss://, too many connections for this user) end the
  // same way on every attempt: retrying would only load the server. A connect that came too late may not.
  if (code === 1008 && reason !== 'no connect in time') {
    return 'stop';
  }
  return 'reconnect';
}

/**
 * Opens a client of the Duplex node at `url` and starts connecting at once (events registered in the
 * same task see `connecting`).
 * @param {string | URL} url the node's base URL (`https://host/` or `https://host/context/`), or its
 *   WebSocket URL (`wss://host/ws`); relative URLs resolve against the page
 * @param {ClientOptions} [options]
 * @returns {DuplexClient}
 */
export function connect(url, options = {}) {
  return new DuplexClient(url, options);
}

/**
 * The WebSocket and REST addresses of a node, from its base URL or its WebSocket URL.
 * @param {string | URL} url
 * @returns {{ws: string, api: string}}
 */
export function endpoints(url) {
  const base = globalThis.location ? globalThis.location.href : undefined;
  let parsed;
  try {
    parsed = new URL(String(url), base);
  } catch {
    throw new DuplexError('bad_request', `not a URL: ${url}${base ? '' : ' (a relative URL needs a page to resolve against; outside a browser give the whole URL)'}`);
  }
  const secure = parsed.protocol === 'https:' || parsed.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) {
    throw new DuplexError('bad_request', `not an http(s) or ws(s) URL: ${url}`);
  }
  parsed.search = '';
  parsed.hash = '';
  const isSocket = parsed.protocol.startsWith('ws');
  if (isSocket && !parsed.pathname.endsWith('/ws')) {
    throw new DuplexError('bad_request', `a WebSocket URL of Duplex ends with /ws: ${url}`);
  }
  let root = isSocket ? parsed.pathname.slice(0, -'ws'.length) : parsed.pathname;
  if (!root.endsWith('/')) root += '/';
  const host = parsed.host;
  return {
    ws: `${secure ? 'wss' : 'ws'}://${host}${root}ws`,
    api: `${secure ? 'https' : 'http'}://${host}${root}api/`,
  };
}

/** Listeners by event name; a listener that throws cannot break the client or the other listeners. */
class Emitter {
  /** @type {Map<string, Set<Function>>} */
  #listeners = new Map();

  /**
   * @param {string} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError(`the listener of '${event}' must be a function`);
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return () => this.#listeners.get(event)?.delete(listener);
  }

  /** @param {string} event @param {unknown} [payload] */
  emit(event, payload) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        reportUncaught(error);
      }
    }
  }
}

/**
 * One channel the client follows. It lives across reconnects until `unsubscribe()`.
 * Events: `subscribed` ({@link SubscribedContext}), `error` ({@link DuplexError}; the subscription has ended).
 */
export class Subscription {
  #emitter = new Emitter();
  #client;
  #settle;

  /**
   * Made by {@link DuplexClient#subscribe}, not directly.
   * @param {string} channel
   * @param {DuplexClient} client
   */
  constructor(channel, client) {
    /** @readonly */
    this.channel = channel;
    this.#client = client;
    /** Resolves with the first `subscribed`, rejects with the error if the server refuses the subscription. */
    this.ready = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // A page that never awaits `ready` must not see an unhandled rejection: the error is also an event.
    this.ready.catch(() => {});
  }

  /**
   * @param {'subscribed' | 'error'} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    return this.#emitter.on(event, listener);
  }

  /** The last `{epoch, offset}` seen: what a resubscribe asks to continue from. Null before the first reply. */
  get position() {
    return this.#client._position(this);
  }

  /** Stops the subscription: no message is delivered after this call. */
  unsubscribe() {
    return this.#client._unsubscribe(this);
  }

  /** @internal */
  _emit(event, payload) {
    if (event === 'subscribed') this.#settle.resolve(payload);
    if (event === 'error') this.#settle.reject(payload);
    this.#emitter.emit(event, payload);
  }
}

/**
 * A connection to one Duplex node.
 * Events: `connecting` ({attempt}), `connected` ({session, version, expiresAt}), `disconnected`
 * ({@link DisconnectedContext}), `direct` (the data of a `direct` push), `refresh` ({expiresAt}),
 * `refreshed` ({expiresAt}), `error` ({@link DuplexError} not tied to a call the page made).
 */
export class DuplexClient {
  #emitter = new Emitter();
  #urls;
  #options;
  #backoff;
  #WebSocket;
  /** @type {'connecting' | 'connected' | 'disconnected' | 'closed'} */
  #state = 'disconnected';
  #socket = null;
  #session = null;
  #token;
  #renewReason = null;
  #attempt = 0;
  #retryTimer = null;
  #connectTimer = null;
  #nextId = 1;
  /** Commands sent, by id, waiting for their reply. */
  #pending = new Map();
  /** Commands made while not connected, sent once `connected`. */
  #queued = [];
  /** Subscription state, by channel. */
  #subscriptions = new Map();
  #onOnline = () => this.#reconnectNow();

  /**
   * @param {string | URL} url
   * @param {ClientOptions} [options]
   */
  constructor(url, options = {}) {
    this.#urls = endpoints(url);
    this.#options = { timeout: 10_000, random: Math.random, ...options };
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#token = options.token;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new DuplexError('bad_request', 'no WebSocket class: pass options.WebSocket (in Node.js 20, the ws package)');
    }
    // A browser that comes back online should not sit out the rest of a long backoff.
    globalThis.addEventListener?.('online', this.#onOnline);
    this.#state = 'connecting';
    queueMicrotask(() => this.#open());
  }

  /** `connecting`, `connected`, `disconnected` (waiting to reconnect, or stopped) or `closed` (by `close()`). */
  get state() {
    return this.#state;
  }

  /** The session id REST knows this connection by, while connected. */
  get session() {
    return this.#session;
  }

  /** The REST base URL of the node (`…/api/`). */
  get api() {
    return this.#urls.api;
  }

  /**
   * @param {'connecting' | 'connected' | 'disconnected' | 'direct' | 'refresh' | 'refreshed' | 'error'} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    return this.#emitter.on(event, listener);
  }

  /**
   * Follows a channel. The subscription is made now or as soon as the client is connected, and again,
   * with `since`, after every reconnect.
   * @param {string} channel
   * @param {(message: Message) => void} onMessage
   * @param {{since?: {epoch: string, offset: number}}} [options] `since`: continue after this position, e.g.
   *   the `{epoch, offset}` of a history page loaded over REST, so nothing falls between the two
   * @returns {Subscription}
   */
  subscribe(channel, onMessage, options = {}) {
    requireChannel(channel);
    if (typeof onMessage !== 'function') throw new TypeError('subscribe needs a function to call with each message');
    if (this.#state === 'closed') throw new DuplexError('closed', 'the client is closed');
    if (this.#subscriptions.has(channel)) {
      throw new DuplexError('bad_request', `already subscribed to '${channel}': unsubscribe first`);
    }
    const since = options.since;
    if (since !== undefined && (typeof since?.epoch !== 'string' || !Number.isInteger(since?.offset) || since.offset < 0)) {
      throw new TypeError('since must be {epoch: string, offset: whole number ≥ 0}');
    }
    const handle = new Subscription(channel, this);
    const record = {
      handle,
      onMessage,
      epoch: since?.epoch ?? null,
      offset: since?.offset ?? 0,
      recoverUntil: 0,
      subscribedOnce: false,
    };
    this.#subscriptions.set(channel, record);
    if (this.#state === 'connected') this.#sendSubscribe(record);
    return handle;
  }

  /**
   * Publishes `data` (any JSON value but null) to a channel; resolves when it is in history.
   * A publish cut off by a disconnect fails with `disconnected`: it may or may not have been accepted.
   * @param {string} channel
   * @param {unknown} data
   * @returns {Promise<{channel: string, epoch: string, offset: number}>}
   */
  async publish(channel, data) {
    requireChannel(channel);
    if (data === undefined || data === null) throw new DuplexError('bad_request', 'publish needs data: any JSON value but null');
    const reply = await this.#request({ type: 'publish', channel, data });
    return { channel: reply.channel, epoch: reply.epoch, offset: reply.offset };
  }

  /**
   * The sessions subscribed to a channel, ordered by session id.
   * @param {string} channel
   * @returns {Promise<Array<{session: string, user: string | null}>>}
   */
  async presence(channel) {
    requireChannel(channel);
    const reply = await this.#request({ type: 'presence', channel });
    return reply.sessions;
  }

  /**
   * A channel's history over REST (`GET /api/channels/{channel}/messages`), with the API key or the
   * token as Bearer credential when one is given.
   * @param {string} channel
   * @param {{since?: number, limit?: number}} [query] without `since`: the newest `limit` messages
   * @returns {Promise<{channel: string, epoch: string, offset: number, messages: Array<{offset: number, data: unknown, time: string}>}>}
   */
  async history(channel, query = {}) {
    requireChannel(channel);
    const url = new URL(`channels/${encodeURIComponent(channel)}/messages`, this.#urls.api);
    if (query.since !== undefined) url.searchParams.set('since', String(query.since));
    if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
    return restCall(url, { credential: this.#options.apiKey ?? this.#token, fetch: this.#options.fetch });
  }

  /**
   * Sends a fresh token for the same user (what `getToken` does by itself when set).
   * @param {string} token
   * @returns {Promise<{expiresAt: string}>}
   */
  async refresh(token) {
    if (typeof token !== 'string' || token === '') throw new TypeError('refresh needs a token');
    const reply = await this.#request({ type: 'refresh', token });
    this.#token = token;
    this.#emitter.emit('refreshed', { expiresAt: reply.expiresAt });
    return { expiresAt: reply.expiresAt };
  }

  /** Closes the connection for good: no reconnect, pending calls fail with `closed`. */
  close() {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    globalThis.removeEventListener?.('online', this.#onOnline);
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#dropSocket(new DuplexError('closed', 'the client was closed'));
    this.#failQueued(new DuplexError('closed', 'the client was closed'));
    socket?.close(1000);
    this.#emitter.emit('disconnected', { code: 1000, reason: 'closed by the client', reconnect: false });
  }

  /** @internal */
  _position(handle) {
    const record = this.#subscriptions.get(handle.channel);
    if (record?.handle !== handle || record.epoch === null) return null;
    return { epoch: record.epoch, offset: record.offset };
  }

  /** @internal */
  async _unsubscribe(handle) {
    const record = this.#subscriptions.get(handle.channel);
    if (record?.handle !== handle) return;
    this.#subscriptions.delete(handle.channel);
    // Not connected: the server has no subscription to end, and the next connect will not make one.
    if (this.#state === 'connected') {
      await this.#request({ type: 'unsubscribe', channel: handle.channel });
    }
  }

  // ---- connection lifecycle ----

  async #open() {
    if (this.#state === 'closed') return;
    this.#state = 'connecting';
    this.#emitter.emit('connecting', { attempt: this.#attempt });
    if (this.#options.getToken && (this.#renewReason || this.#token === undefined)) {
      try {
        this.#token = await this.#options.getToken({ reason: this.#renewReason ?? 'connect' });
        this.#renewReason = null;
      } catch (error) {
        this.#emitter.emit('error', new DuplexError('unauthorized', `getToken failed: ${error?.message ?? error}`));
        this.#scheduleReconnect({ code: 4003, reason: 'no fresh token' });
        return;
      }
      if (this.#state === 'closed') return;
    }
    let socket;
    try {
      socket = new this.#WebSocket(this.#urls.ws);
    } catch (error) {
      this.#emitter.emit('error', new DuplexError('bad_request', `cannot open ${this.#urls.ws}: ${error?.message ?? error}`));
      this.#scheduleReconnect({ code: 1006, reason: 'cannot open' });
      return;
    }
    this.#socket = socket;
    // A connection that neither opens nor answers `connect` in time is given up and retried.
    this.#connectTimer = setTimeout(() => socket.close(), this.#options.timeout);
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      const connect = { id: this.#nextId++, type: 'connect' };
      if (this.#token !== undefined) connect.token = this.#token;
      this.#pending.set(connect.id, { resolve: (reply) => this.#onConnected(reply), reject: (error) => this.#emitter.emit('error', error) });
      socket.send(JSON.stringify(connect));
    };
    socket.onmessage = (event) => {
      if (socket === this.#socket) this.#onFrame(event.data);
    };
    socket.onclose = (event) => {
      if (socket === this.#socket) this.#onClose(event.code, event.reason ?? '');
    };
    // An error is always followed by a close, which is where it is handled.
    socket.onerror = () => {};
  }

  #onConnected(reply) {
    clearTimeout(this.#connectTimer);
    this.#state = 'connected';
    this.#session = reply.session;
    this.#attempt = 0;
    this.#emitter.emit('connected', { session: reply.session, version: reply.version, expiresAt: reply.expiresAt });
    for (const record of this.#subscriptions.values()) this.#sendSubscribe(record);
    const queued = this.#queued;
    this.#queued = [];
    for (const entry of queued) this.#send(entry);
  }

  #onClose(code, reason) {
    clearTimeout(this.#connectTimer);
    this.#dropSocket(new DuplexError('disconnected', `the connection closed (${code}${reason ? ' ' + reason : ''}) before the reply`));
    const next = afterClose(code, reason, typeof this.#options.getToken === 'function');
    if (next === 'stop') {
      this.#state = 'disconnected';
      this.#failQueued(new DuplexError('disconnected', `disconnected for good (${code} ${reason})`));
      this.#emitter.emit('disconnected', { code, reason, reconnect: false });
      return;
    }
    if (next === 'renew') this.#renewReason = code === 4003 ? 'expired' : 'unauthorized';
    this.#scheduleReconnect({ code, reason });
  }

  #scheduleReconnect({ code, reason }) {
    this.#state = 'disconnected';
    const delay = reconnectDelay(this.#attempt++, this.#backoff, this.#options.random);
    this.#emitter.emit('disconnected', { code, reason, reconnect: true, delay });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #reconnectNow() {
    if (this.#state !== 'disconnected' || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#open();
  }

  /** Forgets the socket; its replies will never come, so every pending call fails with `error`. */
  #dropSocket(error) {
    if (this.#socket) {
      this.#socket.onopen = this.#socket.onmessage = this.#socket.onclose = null;
    }
    this.#socket = null;
    this.#session = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) entry.reject(error);
  }

  #failQueued(error) {
    const queued = this.#queued;
    this.#queued = [];
    for (const entry of queued) entry.reject(error);
  }

  // ---- commands and frames ----

  /** Sends a command now, or once connected; resolves with its reply, rejects with its error frame. */
  #request(command) {
    return new Promise((resolve, reject) => this.#call(command, resolve, reject));
  }

  /**
   * Sends a command now, or once connected, and calls back synchronously with its reply or error: the
   * frames after a reply (the pushes after `subscribed`) may arrive in the same task, before a promise's
   * callback would run.
   */
  #call(command, onReply, onError) {
    if (this.#state === 'closed') {
      onError(new DuplexError('closed', 'the client is closed'));
      return;
    }
    const entry = { command };
    const timer = setTimeout(() => {
      this.#queued = this.#queued.filter((e) => e !== entry);
      this.#pending.delete(entry.id);
      onError(new DuplexError('timeout', `no reply to ${command.type} within ${this.#options.timeout} ms`));
    }, this.#options.timeout);
    entry.resolve = (reply) => { clearTimeout(timer); onReply(reply); };
    entry.reject = (error) => { clearTimeout(timer); onError(error); };
    if (this.#state === 'connected') this.#send(entry);
    else this.#queued.push(entry);
  }

  #send(entry) {
    entry.id = this.#nextId++;
    this.#pending.set(entry.id, entry);
    this.#socket.send(JSON.stringify({ id: entry.id, ...entry.command }));
  }

  #sendSubscribe(record) {
    const command = { type: 'subscribe', channel: record.handle.channel };
    if (record.epoch !== null) command.since = { epoch: record.epoch, offset: record.offset };
    this.#call(command, (reply) => this.#onSubscribed(record, command, reply), (error) => this.#onSubscribeFailed(record, error));
  }

  #onSubscribed(record, command, reply) {
    if (this.#subscriptions.get(record.handle.channel) !== record) return;
    const resubscribed = record.subscribedOnce;
    record.subscribedOnce = true;
    if (command.since && reply.recovered) {
      // The missed messages follow the reply, up to its offset; `offset` moves as they arrive.
      record.recoverUntil = reply.offset;
    } else {
      record.epoch = reply.epoch;
      record.offset = reply.offset;
    }
    const context = { channel: reply.channel, epoch: reply.epoch, offset: reply.offset, resubscribed };
    if (command.since) context.recovered = reply.recovered === true;
    record.handle._emit('subscribed', context);
  }

  #onSubscribeFailed(record, error) {
    // A disconnect is not the subscription's failure: the next connect subscribes again.
    if (error.code === 'disconnected' || this.#subscriptions.get(record.handle.channel) !== record) return;
    this.#subscriptions.delete(record.handle.channel);
    error.channel = record.handle.channel;
    record.handle._emit('error', error);
    // Also on the client, so that a page which never looks at `ready` still hears of it.
    this.#emitter.emit('error', error);
  }

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.#emitter.emit('error', new DuplexError('bad_request', 'the server sent a frame that is not JSON'));
      return;
    }
    if (typeof frame.id === 'number' && this.#pending.has(frame.id)) {
      const entry = this.#pending.get(frame.id);
      this.#pending.delete(frame.id);
      if (frame.type === 'error') entry.reject(new DuplexError(frame.code, frame.message));
      else entry.resolve(frame);
      return;
    }
    if (frame.type === 'message') this.#onMessage(frame);
    else if (frame.type === 'direct') this.#emitter.emit('direct', frame.data);
    else if (frame.type === 'refresh') this.#onRefreshPush(frame.expiresAt);
    else if (frame.type === 'error') this.#emitter.emit('error', new DuplexError(frame.code, frame.message));
    // Other frames are of later protocol versions: ignored, as the protocol asks.
  }

  #onMessage(frame) {
    const record = this.#subscriptions.get(frame.channel);
    // Nothing after unsubscribe; nothing twice, should a recovery and a live push ever overlap.
    if (!record || frame.offset <= record.offset) return;
    record.offset = frame.offset;
    const message = {
      channel: frame.channel,
      epoch: record.epoch,
      offset: frame.offset,
      data: frame.data,
      recovered: frame.offset <= record.recoverUntil,
    };
    try {
      record.onMessage(message);
    } catch (error) {
      reportUncaught(error);
    }
  }

  async #onRefreshPush(expiresAt) {
    this.#emitter.emit('refresh', { expiresAt });
    if (!this.#options.getToken) return;
    try {
      await this.refresh(await this.#options.getToken({ reason: 'refresh', expiresAt }));
    } catch (error) {
      // The current token holds until it expires; after the 4003 close the hook gets another chance.
      this.#emitter.emit('error', error instanceof DuplexError ? error : new DuplexError('unauthorized', `token refresh failed: ${error?.message ?? error}`));
    }
  }
}

/**
 * Reports an error thrown by the page's own callback where the page's uncaught errors go (window.onerror,
 * the console), instead of swallowing it or letting it break the client's state.
 * @param {unknown} error
 */
function reportUncaught(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else queueMicrotask(() => { throw error; });
}

/** @param {unknown} channel */
function requireChannel(channel) {
  if (typeof channel !== 'string' || channel === '') throw new TypeError('a channel name is a non-empty string');
}

/**
 * A JSON REST call; a problem+json answer becomes a DuplexError with its `code` and `status`.
 * @param {URL | string} url
 * @param {{credential?: string, fetch?: typeof fetch, method?: string, body?: unknown}} [options]
 */
export async function restCall(url, options = {}) {
  const headers = { accept: 'application/json' };
  if (options.credential) headers.authorization = `Bearer ${options.credential}`;
  const init = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(String(url), init);
  } catch (error) {
    throw new DuplexError('network', `${init.method} ${url} failed: ${error?.message ?? error}`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: a proxy's or container's error page. The status says enough.
  }
  if (!response.ok) {
    throw new DuplexError(body?.code ?? `http_${response.status}`,
      body?.detail ?? body?.title ?? `${init.method} ${url} answered ${response.status}`, { status: response.status });
  }
  return body;
}
