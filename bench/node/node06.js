'use strict';
// The original node server: socket.io 0.6.18 on Node 20 (node20-shims.js), with the transports it enables by
// default (websocket and flashsocket speak hixie-75/76 only, so the .NET load clients use xhr-polling), and the
// bench control surface of bench-control.js. Broadcasts go to every session with listener.broadcast(message),
// the way a 0.6 node app broadcasts; every load-test session subscribes to the bench channel (it sends the two
// messages "__subscribe__", "bench", as for SocketIoChannels), so the sessions that did are the subscribers.
// Started by the orchestrator as: node --expose-gc bench/node/node06.js; prints READY port.
require('./node20-shims');
const http = require('http');
const io = require('socket.io-06');
const { createControl, listen } = require('./bench-control');

const subscribed = new Set();
let listener = null;
const control = createControl({
  subscribers: () => subscribed.size,
  broadcast: (text) => listener.broadcast(text),
});

const server = http.createServer((req, res) => {
  if (!control.handleRequest(req, res)) {
    res.writeHead(404);
    res.end();
  }
});

listener = io.listen(server, {
  log: false, // util.log to stdout per connection would cost CPU the Kestrel servers do not spend
  flashPolicyServer: false, // a second server on the fixed port 843: not part of what is measured
});

// 0.6.18 destroys every upgrade it does not recognise: /bench/control goes first.
const upgrades = server.listeners('upgrade');
server.removeAllListeners('upgrade');
server.on('upgrade', (req, socket, head) => {
  if (control.handleUpgrade(req, socket, head)) return;
  for (const upgrade of upgrades) upgrade.call(server, req, socket, head);
});

listener.on('connection', (client) => {
  let next = false;
  client.on('message', (message) => {
    if (next) {
      next = false;
      if (message === 'bench') subscribed.add(client);
    } else if (message === '__subscribe__') {
      next = true;
    } else {
      client.send(message); // echo, as the .NET servers' [OnMessage] handler
    }
  });
  client.on('disconnect', () => subscribed.delete(client));
});

listen(server);
