'use strict';
// The node socket.io 4.8 twin of the v5 test server (V5/V5TestServer.cs and V5/V5TestHandlers.cs): the same events
// and the same test endpoints, so the suites in V5/ can run against node itself and show that what they expect is
// what the reference server does. Used only when SOCKETIO_V5_SERVER=node (see V5/V5ServerFixture.cs); needs
// 'npm ci' in bench/node, whose socket.io 4.8.4 it uses. Prints "READY <port>" on stdout.
//
// With --recovery, connection state recovery is on (60 s). Namespace "/": auth {refuse: "why"} is refused (connect_error "why", data {reason: "refused by the test"});
// "whoami" acks {id, auth, namespace}; "message" goes to the other members of the socket's "relay-" room if it
// is in one, else it is echoed with send; "echo" acks its arguments or, without an ack,
// emits "echo" back; "subscribe"/"unsubscribe" join/leave a room and ack true; "ask-client" [event, ...args] emits
// event to the client with an ack and then emits "client-answered" with the answer; "give-binary" emits "binary"
// with the bytes 0,1,2,255. Namespace "/admin": "echo" acks ["admin", ...args]. Any other namespace is refused.
// POST /test/broadcast/<room> with a JSON body: every socket in the room gets the event "message" with the body.
// POST /test/drop/<tag>: ends the TCP connections of the clients connected with query {tag}.
// GET /test/connections/<tag>: how many Engine.IO connections of that tag are open.
const http = require('http');
const path = require('path');
const benchModules = process.env.SOCKETIO_V5_SERVER_MODULES || path.join(__dirname, '..', '..', '..', 'bench', 'node', 'node_modules');
const { Server } = require(path.join(benchModules, 'socket.io'));

const server = http.createServer();
const io = new Server(server, Object.assign({ serveClient: false },
  process.argv.includes('--recovery') ? { connectionStateRecovery: { maxDisconnectionDuration: 60000, skipMiddlewares: true } } : {}));
const rawByTag = new Map();

io.engine.on('connection', (raw) => {
  const tag = raw.request && new URL(raw.request.url, 'http://x').searchParams.get('tag');
  if (!tag) return;
  if (!rawByTag.has(tag)) rawByTag.set(tag, new Set());
  rawByTag.get(tag).add(raw);
  raw.on('close', () => rawByTag.get(tag)?.delete(raw));
});

io.use((socket, next) => {
  const refuse = socket.handshake.auth && socket.handshake.auth.refuse;
  if (refuse) {
    const error = new Error(refuse);
    error.data = { reason: 'refused by the test' };
    next(error);
    return;
  }
  next();
});

io.on('connection', (socket) => {
  socket.on('whoami', (ack) => ack({ id: socket.id, auth: socket.handshake.auth, namespace: socket.nsp.name }));
  socket.on('message', (...args) => {
    const relay = [...socket.rooms].find((r) => r.startsWith('relay-'));
    if (relay) socket.to(relay).emit('message', ...args); else socket.send(...args);
  });
  socket.on('echo', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (ack) ack(...args); else socket.emit('echo', ...args);
  });
  socket.on('subscribe', (room, ack) => { socket.join(room); if (typeof ack === 'function') ack(true); });
  socket.on('unsubscribe', (room, ack) => { socket.leave(room); if (typeof ack === 'function') ack(true); });
  socket.on('ask-client', async (event, ...args) => {
    try {
      const answer = await socket.timeout(10000).emitWithAck(event, ...args);
      socket.emit('client-answered', answer);
    } catch (e) {
      socket.emit('client-answered', { error: String(e.message) });
    }
  });
  socket.on('give-binary', () => socket.emit('binary', Buffer.from([0, 1, 2, 255])));
});

io.of('/admin').on('connection', (socket) => {
  socket.on('echo', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (ack) ack('admin', ...args);
  });
});

server.on('request', (req, res) => {
  const connections = /^\/test\/connections\/([^/?]+)/.exec(req.url);
  if (connections && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: rawByTag.get(decodeURIComponent(connections[1]))?.size ?? 0 }));
    return;
  }
  const match = /^\/test\/(broadcast|drop)\/([^/?]+)/.exec(req.url);
  if (!match || req.method !== 'POST') return; // engine.io answers its own path; anything else hangs as in node
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const name = decodeURIComponent(match[2]);
    let count = 0;
    if (match[1] === 'broadcast') {
      count = io.of('/').adapter.rooms.get(name)?.size ?? 0;
      io.to(name).emit('message', JSON.parse(body));
    } else {
      for (const raw of rawByTag.get(name) ?? []) {
        count++;
        const transport = raw.transport;
        if (transport.name === 'websocket' && transport.socket && transport.socket._socket) transport.socket._socket.destroy();
        else raw.close();
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ receivers: count }));
  });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
