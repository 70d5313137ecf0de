'use strict';
// socket.io 4.8 (Engine.IO 4 / Socket.IO 5) on its default WebSocket engine, ws, with the settings the
// socket.io performance-tuning guide gives: the ws native add-ons bufferutil and utf-8-validate installed (ws 8
// uses bufferutil for masking; for UTF-8 it uses Node's own buffer.isUtf8, which Node 20 has), and the initial
// HTTP request of each session discarded to save memory. perMessageDeflate is off by default in 4.x (engine.io
// sets it only when the option is given); httpCompression (polling, answers over 1 KB) only applies when the
// client sends Accept-Encoding, which the .NET load client does not.
// Every socket joins the room "bench" on connect (and on emit("subscribe", room), the client of SocketIoChannels
// later); broadcasts are io.to("bench").emit("message", payload); "message" events are echoed to the sender.
// Started by the orchestrator as: node --expose-gc bench/node/node48.js; prints READY port.
const http = require('http');
const { Server } = require('socket.io');
const { createControl, listen } = require('./bench-control');

const ROOM = 'bench';
let io = null;
const control = createControl({
  subscribers: () => io.of('/').adapter.rooms.get(ROOM)?.size ?? 0,
  broadcast: (text) => io.to(ROOM).emit('message', text),
});

const server = http.createServer((req, res) => {
  if (!control.handleRequest(req, res)) {
    res.writeHead(404);
    res.end();
  }
});

// Before socket.io attaches: the control WebSocket is not an Engine.IO path.
server.on('upgrade', (req, socket, head) => control.handleUpgrade(req, socket, head));

io = new Server(server, {
  serveClient: false,
  destroyUpgrade: false, // /bench/control is handled above
});

io.engine.on('connection', (rawSocket) => {
  rawSocket.request = null;
});

io.on('connection', (socket) => {
  socket.join(ROOM);
  socket.on('subscribe', (room) => socket.join(room));
  socket.on('message', (text) => socket.emit('message', text));
});

listen(server);
