// The console's "polling vs push" panel: one channel followed by REST polling at a chosen interval and by
// WebSocket push on a connection of its own, with the delivery latency and request count of each. The
// messages it sends carry their send time, and the page that receives them is the page that sent them,
// so both latencies are measured on one clock.
import { connect } from './duplex.js';

const SPACING_MS = 200;
const TABLE_ROWS = 10;

/** Figures of one way of following the channel. */
function figures() {
  return { messages: 0, requests: 0, empty: 0, latencies: [] };
}

/**
 * Starts following `channel` both ways; returns the controls of the running comparison.
 * @param {{base: URL, credentials: {token?: string, apiKey?: string}, channel: string, interval: number,
 *   rest: (path: string, options?: object) => Promise<any>, onError: (where: string, error: any) => void,
 *   log: (text: string) => void}} options
 */
export function startComparison({ base, credentials, channel, interval, rest, onError, log }) {
  const run = Math.random().toString(36).slice(2, 8);
  const stats = { poll: figures(), push: figures() };
  /** Message number → {push, poll} latency in ms, for the messages this run sent. */
  const rows = new Map();
  let stopped = false;
  let pollTimer = null;
  let cursor = null;

  const record = (side, data) => {
    const s = stats[side];
    s.messages++;
    if (data?.compare === run && typeof data.sentAt === 'number') {
      const latency = Math.max(0, Date.now() - data.sentAt);
      s.latencies.push(latency);
      rows.set(data.n, { ...rows.get(data.n), [side]: latency });
    }
  };

  // Push: a connection of its own, so its figures are not mixed with the console's.
  const pushClient = connect(base, { token: credentials.token, apiKey: credentials.apiKey });
  pushClient.on('error', (error) => onError('polling vs push: WebSocket', error));
  const subscription = pushClient.subscribe(channel, (message) => {
    record('push', message.data);
    render();
  });
  subscription.on('subscribed', () => {
    stats.push.requests++;
    render();
  });

  // Polling: what a client without push does, one GET per interval whether or not anything happened.
  async function poll() {
    const path = `channels/${encodeURIComponent(channel)}/messages?` + (cursor === null ? 'limit=1' : `since=${cursor}&limit=100`);
    try {
      const page = await rest(path);
      if (stopped) return;
      stats.poll.requests++;
      if (cursor === null) {
        cursor = page.offset; // start from now, as the push side does
      } else {
        if (page.messages.length === 0) stats.poll.empty++;
        for (const message of page.messages) record('poll', message.data);
        cursor = page.messages.length ? page.messages.at(-1).offset : cursor;
      }
    } catch (error) {
      stats.poll.requests++;
      onError('polling vs push: REST', error);
    }
    render();
    if (!stopped) pollTimer = setTimeout(poll, interval);
  }
  const firstPoll = poll();
  const ready = Promise.all([subscription.ready, firstPoll]);
  ready.then(() => log(`polling vs push on ${channel}: polling every ${interval} ms, push subscribed`), () => {});

  function render() {
    for (const side of ['poll', 'push']) {
      const s = stats[side];
      document.getElementById(`${side}-messages`).textContent = String(s.messages);
      document.getElementById(`${side}-requests`).textContent = String(s.requests);
      document.getElementById(`${side}-empty`).textContent = String(s.empty);
      const latencies = s.latencies;
      document.getElementById(`${side}-latency`).textContent = latencies.length
        ? `${Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length)} ms` : '–';
      document.getElementById(`${side}-max`).textContent = latencies.length ? `${Math.max(...latencies)} ms` : '–';
    }
    const numbers = [...rows.keys()].sort((a, b) => b - a).slice(0, TABLE_ROWS);
    document.querySelector('#compare-table tbody').replaceChildren(...numbers.map((n) => {
      const row = rows.get(n);
      const tr = document.createElement('tr');
      tr.dataset.n = String(n);
      for (const text of [`#${n}`, cell(row.push), cell(row.poll)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
  }
  const cell = (ms) => (ms === undefined ? 'waiting…' : `${ms} ms`);
  render();

  let sent = 0;
  return {
    /** Resolves once both sides follow the channel: messages sent from then on are seen by both. */
    ready,

    /** Publishes `count` messages over REST, spaced out so that polling's wait shows as latency. */
    send(count) {
      const publishOne = async (left) => {
        if (stopped || left === 0) return;
        const n = ++sent;
        try {
          await rest(`channels/${encodeURIComponent(channel)}/messages`, { method: 'POST', body: { data: { compare: run, n, sentAt: Date.now() } } });
        } catch (error) {
          onError('polling vs push: publish', error);
          return;
        }
        setTimeout(() => publishOne(left - 1), SPACING_MS);
      };
      publishOne(count);
    },

    /** The session id of the push side's connection. */
    session: () => pushClient.session,

    stop() {
      stopped = true;
      clearTimeout(pollTimer);
      pushClient.close();
    },
  };
}
