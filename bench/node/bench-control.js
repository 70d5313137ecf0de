'use strict';
// The bench-only control surface of bench/LoadTest/Servers/ServerHost.cs, for the node servers:
//   GET /bench/stats[?gc=1]  ->  "subscribers gcHeapBytes rssBytes published publishTimeouts"
//     gc=1 runs global.gc() three times first (node must be started with --expose-gc).
//     The "GC heap" of a node server is heapUsed + external + arrayBuffers of process.memoryUsage()
//     (the formula; note node counts arrayBuffers inside external too).
//   WebSocket /bench/control, one command per line: "window N" (at most N broadcasts whose last recipient has not
//     acknowledged; a broadcast not acknowledged within 2 s counts as a timeout and one more goes out), "every MS",
//     "stop", "ack".
// Payloads are the 128 characters of bench/LoadTest/Payload.cs: kind 'f', a 10-digit sequence number, a space,
// a 20-digit CLOCK_MONOTONIC timestamp in nanoseconds (process.hrtime.bigint(): the clock of .NET's Stopwatch on
// Linux), padded with 'x'.
const { WebSocketServer } = require('ws');

const PAYLOAD_LENGTH = 128;
const PAD = 'x'.repeat(PAYLOAD_LENGTH);

function payload(seq) {
  const head = 'f' + String(seq).padStart(10, '0') + ' ' + process.hrtime.bigint().toString().padStart(20, '0');
  return head + PAD.slice(head.length);
}

/**
 * @param {{ subscribers: () => number, broadcast: (text: string) => void }} target
 */
function createControl(target) {
  let mode = null; // null | 'window' | 'every'
  let available = 0;
  let published = 0;
  let timeouts = 0;
  let ackTimer = null;
  let interval = null;

  function publish() {
    published++;
    target.broadcast(payload(published));
  }

  function armAckTimeout() {
    clearTimeout(ackTimer);
    ackTimer = setTimeout(() => {
      if (mode !== 'window' || available > 0) return;
      timeouts++;
      publish();
      armAckTimeout();
    }, 2000);
  }

  function pump() {
    while (mode === 'window' && available > 0) {
      available--;
      publish();
    }

    if (mode === 'window') armAckTimeout();
  }

  // One broadcast every `ms` on a fixed grid from the start, as .NET's PeriodicTimer in Publisher.cs does:
  // setInterval would add each tick's lateness to the next one and publish fewer broadcasts on a loaded machine.
  // A tick later than a whole period fires at once, then the grid resumes (no burst of missed ticks).
  function every(ms) {
    const start = performance.now();
    let k = 0;
    const tick = () => {
      if (mode !== 'every') return;
      publish();
      k++;
      const now = performance.now();
      const delay = start + (k * ms) - now;
      if (delay < 0) k = Math.floor((now - start) / ms);
      interval = setTimeout(tick, Math.max(0, delay));
    };
    interval = setTimeout(tick, ms);
  }

  function stop() {
    mode = null;
    clearTimeout(ackTimer);
    clearTimeout(interval);
    ackTimer = interval = null;
  }

  function command(line) {
    const [name, arg] = line.split(' ');
    switch (name) {
      case 'ack':
        if (mode === 'window') {
          available++;
          pump();
        }
        break;
      case 'window':
        stop();
        mode = 'window';
        available = parseInt(arg, 10);
        pump();
        break;
      case 'every':
        stop();
        mode = 'every';
        every(parseFloat(arg));
        break;
      case 'stop':
        stop();
        break;
    }
  }

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      for (const line of data.toString('latin1').split('\n')) {
        if (line) command(line);
      }
    });
    ws.on('close', stop);
    ws.on('error', stop);
  });

  return {
    /** Answers /bench/stats; false for any other path. */
    handleRequest(req, res) {
      if (!req.url.startsWith('/bench/stats')) return false;
      if (req.url.includes('gc') && typeof global.gc === 'function') {
        for (let i = 0; i < 3; i++) global.gc();
      }

      const m = process.memoryUsage();
      const heap = m.heapUsed + m.external + m.arrayBuffers;
      const body = `${target.subscribers()} ${heap} ${m.rss} ${published} ${timeouts}`;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    },

    /** Takes the /bench/control upgrade; false for any other path. */
    handleUpgrade(req, socket, head) {
      if (!req.url.startsWith('/bench/control')) return false;
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
  };
}

/** Listens on 127.0.0.1, port 0, and prints "READY port" as the .NET servers do. */
function listen(server) {
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write('READY ' + server.address().port + '\n');
  });
  process.on('SIGTERM', () => process.exit(0));
}

module.exports = { createControl, listen, payload };
