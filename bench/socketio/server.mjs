// The Socket.IO comparison target of Duplex's benchmark: rooms as channels, WebSocket transport only (what the
// generator speaks), no compression. A client emits "sub" with a channel (acknowledged once it joined the room) and
// "pub" with a channel and data, which the server emits to the room as "m": Socket.IO encodes it once for the room.
// GET /gc runs a full collection (node --expose-gc) before a memory reading, as the JVM targets get one.
//   node --expose-gc server.mjs PORT
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] || 0);
const http = createServer((req, res) => {
  if (req.url === '/gc' && typeof global.gc === 'function') {
    global.gc();
    res.end('ok');
    return;
  }
  res.statusCode = 404;
  res.end();
});
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, httpCompression: false,
  maxHttpBufferSize: 1e6, serveClient: false });
io.on('connection', (socket) => {
  socket.on('sub', (channel, ack) => {
    socket.join(channel);
    if (typeof ack === 'function') ack();
  });
  socket.on('pub', (channel, data) => {
    io.to(channel).emit('m', data);
  });
});
http.listen(port, '127.0.0.1', () => {
  console.log(`socket.io ${process.versions.node} listening on http://127.0.0.1:${http.address().port}/socket.io/`);
});
