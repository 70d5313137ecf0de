namespace SocketIoChannels.BrowserTests.V5;

/// <summary>
/// The page with socket.io-client 4.8's browser bundle (dist/socket.io.min.js from npm, served by the test server
/// at <see cref="ClientV5ScriptPath"/>). <c>startV5(options)</c> connects <c>io(options)</c> (window.socket) and
/// records every event in <c>h.events</c> as <c>{name, args}</c>; ArrayBuffers appear as <c>{"$bytes": base64}</c>.
/// <c>emitAck(event, args)</c> resolves with the ack's arguments.
/// </summary>
public static class V5TestPages
{
    public const string ClientV5Path = "/pages/v5";
    public const string ClientV5ScriptPath = "/vendor/socket.io-4.8.min.js";

    public const string ClientV5 = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>socket.io-client 4.8</title>
        <script src="/vendor/socket.io-4.8.min.js"></script>
        <script>
        window.h = { events: [], errors: [] };
        window.addEventListener('error', function (e) { h.errors.push(String(e.message)); });
        function toBase64(buffer) {
          var bytes = new Uint8Array(buffer), text = '';
          for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
          return btoa(text);
        }
        window.wire = function (v) {
          if (v instanceof ArrayBuffer) return { $bytes: toBase64(v) };
          if (ArrayBuffer.isView(v)) return { $bytes: toBase64(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) };
          if (Array.isArray(v)) return v.map(wire);
          if (v && typeof v === 'object') { var o = {}; Object.keys(v).forEach(function (k) { o[k] = wire(v[k]); }); return o; }
          return v === undefined ? null : v;
        };
        window.unwire = function (v) {
          if (Array.isArray(v)) return v.map(unwire);
          if (v && typeof v === 'object') {
            if (typeof v.$bytes === 'string') { var s = atob(v.$bytes), b = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); return b.buffer; }
            var o = {}; Object.keys(v).forEach(function (k) { o[k] = unwire(v[k]); }); return o;
          }
          return v;
        };
        function record(name, args) { h.events.push({ name: name, args: wire(args) }); }
        window.transportName = function () { return socket.io.engine && socket.io.engine.transport ? socket.io.engine.transport.name : null; };
        window.startV5 = function (options) {
          var socket = io(Object.assign({ forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500 }, unwire(options || {})));
          window.socket = socket;
          // The Engine.IO socket exists once the manager opened (at once: autoConnect): its first transport and upgrades.
          h.firstTransport = socket.io.engine.transport.name;
          socket.io.engine.on('upgrade', function (t) { record('upgrade', [t.name]); });
          socket.on('connect', function () { record('connect', [{ id: socket.id, transport: transportName() }]); });
          socket.on('connect_error', function (e) { record('connect_error', [{ message: e.message, data: e.data === undefined ? null : e.data }]); });
          socket.on('disconnect', function (reason) { record('disconnect', [reason]); });
          socket.onAny(function () {
            var args = Array.prototype.slice.call(arguments), name = args.shift();
            if (typeof args[args.length - 1] === 'function') { var ack = args.pop(); record(name, args); ack.apply(null, args); }
            else record(name, args);
          });
          return true;
        };
        window.emitAck = function (event, args) {
          return new Promise(function (resolve, reject) {
            socket.timeout(10000).emit.apply(socket, [event].concat(unwire(args), [function (err) {
              if (err) reject(err); else resolve(wire(Array.prototype.slice.call(arguments, 1)));
            }]));
          });
        };
        window.eventsNamed = function (name) { return h.events.filter(function (e) { return e.name === name; }); };
        </script>
        </head><body>socket.io-client 4.8</body></html>
        """;
}
