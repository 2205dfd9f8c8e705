// Holds one connected, subscribed WebSocket session open and reports how the server closes it.
// Used by the container checks around an undeploy: prints READY once subscribed, then CLOSED <code> <reason>,
// and exits 0 only if the close code is the one expected (default 1001, going away).
// Usage: DUPLEX_URL=http://127.0.0.1:PORT/duplex/ node close-watch.mjs [expected-code] [timeout-seconds]
import WebSocket from 'ws';

const base = process.env.DUPLEX_URL;
const expected = Number(process.argv[2] ?? 1001);
const timeoutSeconds = Number(process.argv[3] ?? 120);
const ws = new WebSocket(base.replace(/^http/, 'ws') + 'ws');

const timer = setTimeout(() => {
  console.log(`TIMEOUT no close within ${timeoutSeconds}s`);
  process.exit(2);
}, timeoutSeconds * 1000);

ws.on('open', () => {
  ws.send(JSON.stringify({ id: 1, type: 'connect' }));
  ws.send(JSON.stringify({ id: 2, type: 'subscribe', channel: 'undeploy.watch' }));
});
ws.on('message', (data) => {
  if (JSON.parse(String(data)).id === 2) console.log('READY');
});
ws.on('close', (code, reason) => {
  clearTimeout(timer);
  console.log(`CLOSED ${code} ${String(reason)}`);
  process.exit(code === expected ? 0 : 1);
});
ws.on('error', (error) => {
  console.log(`ERROR ${error.message}`);
});
