'use strict';
// Drives the real socket.io-client 4.8 (npm, in Node) for the xunit tests (V5/NodeClientDriver.cs).
// Protocol: one JSON command per line on stdin, {"id": n, "op": "...", ...}; one JSON answer per line on stdout,
// {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": "..."}. Nothing else goes to stdout.
// Binary values cross the pipe as {"$bytes": "<base64>"} and are Buffers inside the client.
//
// Every client records what it sees, in order: {"name": "...", "args": [...], "ack": bool} for each event
// (reserved ones too: connect, connect_error, disconnect, reconnect_attempt, reconnect, and upgrade: the first
// Engine.IO connection's switch to WebSocket). An event the server
// sends with an ack callback is answered with the reply set by "reply" for that event name, or else with its
// own arguments (an echo).
//
// Ops:
//   connect    {client, url, namespace?, options?}  -> the first of connect / connect_error:
//              {"event": "connect", "id", "transport", "recovered"} or {"event": "connect_error", "message", "data"}
//   emit       {client, event, args, ack?, timeoutMs?} -> null, or the ack's arguments when ack is true
//   send       {client, args}                       -> null (socket.send(...args))
//   reply      {client, event, args}                -> null (how to answer the server's acks of that event)
//   waitFor    {client, name, count?, timeoutMs?}    -> every recorded event of that name once count arrived
//   events     {client}                             -> every recorded event
//   state      {client}                             -> {connected, id, recovered, transport, active, firstTransport}
//   waitState  {client, connected, transport?, timeoutMs?} -> the state once it matches
//   reconnect  {client}                             -> null (socket.connect() again, with the recovery id if any)
//   disconnect {client}                             -> null (socket.disconnect())
//   close      {}                                   -> disconnects everything and exits
const readline = require('readline');
const path = require('path');

const clientPath = process.env.SOCKETIO_CLIENT_V5_MODULE
  || path.join(__dirname, '..', 'node_modules', 'socket.io-client');
const { io } = require(clientPath);

const clients = new Map();

function toWire(value) {
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const buffer = Buffer.isBuffer(value) ? value
      : value instanceof ArrayBuffer ? Buffer.from(value)
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $bytes: buffer.toString('base64') };
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    const copy = {};
    for (const [k, v] of Object.entries(value)) copy[k] = toWire(v);
    return copy;
  }
  return value === undefined ? null : value;
}

function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === 'object') {
    if (typeof value.$bytes === 'string' && Object.keys(value).length === 1) return Buffer.from(value.$bytes, 'base64');
    const copy = {};
    for (const [k, v] of Object.entries(value)) copy[k] = fromWire(v);
    return copy;
  }
  return value;
}

function get(name) {
  const client = clients.get(name);
  if (!client) throw new Error(`no client named '${name}'`);
  return client;
}

function transportOf(socket) {
  const engine = socket.io.engine;
  return engine && engine.transport ? engine.transport.name : null;
}

function stateOf(client) {
  const s = client.socket;
  return { connected: s.connected, id: s.id ?? null, recovered: s.recovered === true, transport: transportOf(s), active: s.active, firstTransport: client.firstTransport };
}

// Resolves when test() holds; re-checked on every recorded event and every 20 ms (transport changes are not events).
function waitUntil(client, test, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn, v) => { if (!done) { done = true; clearInterval(poll); clearTimeout(timer); client.waiters.delete(check); fn(v); } };
    const check = () => { try { const v = test(); if (v !== undefined) finish(resolve, v); } catch (e) { finish(reject, e); } };
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => finish(reject, new Error(
      `timed out after ${timeoutMs} ms waiting for ${what}; recorded: ${JSON.stringify(client.events).slice(0, 2000)}; state: ${JSON.stringify(stateOf(client))}`)), timeoutMs);
    client.waiters.add(check);
    check();
  });
}

function record(client, name, args, ack) {
  client.events.push({ name, args: toWire(args), ack });
  for (const w of [...client.waiters]) w();
}

function connect(cmd) {
  if (clients.has(cmd.client)) throw new Error(`client '${cmd.client}' exists`);
  const options = Object.assign({ forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, timeout: 10000 }, fromWire(cmd.options || {}));
  const url = cmd.url.replace(/\/$/, '') + (cmd.namespace && cmd.namespace !== '/' ? cmd.namespace : '');
  const socket = io(url, options);
  const client = { socket, events: [], waiters: new Set(), replies: new Map() };
  clients.set(cmd.client, client);

  socket.on('connect', () => record(client, 'connect', [{ id: socket.id, recovered: socket.recovered === true, transport: transportOf(socket) }], false));
  socket.on('connect_error', (err) => record(client, 'connect_error', [{ message: err.message, data: err.data ?? null }], false));
  socket.on('disconnect', (reason) => record(client, 'disconnect', [reason], false));
  // The Engine.IO socket of this connection (the manager opened it at once): its first transport and upgrades.
  client.firstTransport = socket.io.engine.transport.name;
  socket.io.engine.on('upgrade', (t) => record(client, 'upgrade', [t.name], false));
  socket.io.on('reconnect_attempt', (n) => record(client, 'reconnect_attempt', [n], false));
  socket.io.on('reconnect', (n) => record(client, 'reconnect', [n], false));
  socket.onAny((name, ...args) => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args.pop();
      record(client, name, args, true);
      const reply = client.replies.has(name) ? client.replies.get(name) : args;
      last(...reply);
    } else {
      record(client, name, args, false);
    }
  });

  return waitUntil(client, () => {
    const first = client.events.find((e) => e.name === 'connect' || e.name === 'connect_error');
    if (!first) return undefined;
    return first.name === 'connect' ? Object.assign({ event: 'connect' }, first.args[0]) : Object.assign({ event: 'connect_error' }, first.args[0]);
  }, cmd.timeoutMs ?? 15000, 'connect or connect_error');
}

async function run(cmd) {
  switch (cmd.op) {
    case 'connect': return connect(cmd);
    case 'emit': {
      const { socket } = get(cmd.client);
      const args = fromWire(cmd.args || []);
      if (!cmd.ack) { socket.emit(cmd.event, ...args); return null; }
      const answer = await socket.timeout(cmd.timeoutMs ?? 15000).emitWithAck(cmd.event, ...args);
      return toWire([answer]);
    }
    case 'emitAck': { // the ack's arguments, all of them (emitWithAck keeps only the first)
      const { socket } = get(cmd.client);
      const args = fromWire(cmd.args || []);
      return new Promise((resolve, reject) => {
        socket.timeout(cmd.timeoutMs ?? 15000).emit(cmd.event, ...args, (err, ...answer) => (err ? reject(err) : resolve(toWire(answer))));
      });
    }
    case 'send': get(cmd.client).socket.send(...fromWire(cmd.args || [])); return null;
    case 'reply': get(cmd.client).replies.set(cmd.event, fromWire(cmd.args || [])); return null;
    case 'waitFor': {
      const client = get(cmd.client);
      const count = cmd.count ?? 1;
      return waitUntil(client, () => {
        const found = client.events.filter((e) => e.name === cmd.name);
        return found.length >= count ? found : undefined;
      }, cmd.timeoutMs ?? 15000, `${count} '${cmd.name}' event(s)`);
    }
    case 'events': return get(cmd.client).events;
    case 'state': return stateOf(get(cmd.client));
    case 'waitState': {
      const client = get(cmd.client);
      return waitUntil(client, () => {
        const s = stateOf(client);
        return s.connected === cmd.connected && (!cmd.transport || s.transport === cmd.transport) ? s : undefined;
      }, cmd.timeoutMs ?? 15000, `connected=${cmd.connected} transport=${cmd.transport ?? 'any'}`);
    }
    case 'reconnect': get(cmd.client).socket.connect(); return null;
    case 'disconnect': get(cmd.client).socket.disconnect(); return null;
    case 'close':
      for (const c of clients.values()) c.socket.disconnect();
      clients.clear();
      setTimeout(() => process.exit(0), 50);
      return null;
    default: throw new Error(`unknown op '${cmd.op}'`);
  }
}

function answer(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    answer({ id: null, ok: false, error: `bad JSON: ${e.message}` });
    return;
  }
  Promise.resolve()
    .then(() => run(cmd))
    .then((result) => answer({ id: cmd.id, ok: true, result: result ?? null }),
      (err) => answer({ id: cmd.id, ok: false, error: String(err && err.stack || err) }));
});
// The test process went away: do not linger.
lines.on('close', () => process.exit(0));
answer({ id: 0, ok: true, result: { ready: true, version: require(path.join(clientPath, 'package.json')).version } });
