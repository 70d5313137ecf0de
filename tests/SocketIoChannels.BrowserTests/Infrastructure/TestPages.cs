namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>
/// The test pages, served by the fixture as inline HTML. Each socket page defines <c>createSocket(transports)</c>
/// and shares the harness: <c>startSocket(transports)</c> connects and records every event in <c>window.h.events</c>
/// and every message, with its JavaScript type, in <c>window.h.messages</c>.
/// </summary>
public static class TestPages
{
    public const string BlankPath = "/pages/blank";
    public const string Client06Path = "/pages/client06";
    public const string OurClientPath = "/pages/ours";
    public const string Client06ScriptPath = "/vendor/socket.io-0.6.18.js";
    public const string UnicodeSample = "héllo 😀 世界";

    public const string Blank = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>blank test page</title></head>
        <body><p id="text">héllo 😀 世界</p>
        <script>document.body.dataset.ready = 'yes'; document.title = 'ready ' + document.getElementById('text').textContent.length;</script>
        </body></html>
        """;

    private const string Harness = """
        <script>
        window.h = { events: [], messages: [], errors: [] };
        window.addEventListener('error', function (e) { h.errors.push(String(e.message)); });
        function describe(m) {
          return { type: m === null ? 'null' : Array.isArray(m) ? 'array' : typeof m, value: m === undefined ? '(undefined)' : m };
        }
        window.startSocket = function (transports) {
          var socket = window.createSocket(transports);
          ['connecting', 'connect', 'disconnect', 'connect_failed', 'reconnecting', 'reconnect', 'reconnect_failed', 'error']
            .forEach(function (name) {
              socket.on(name, function (arg) { h.events.push(arg === undefined ? name : name + ':' + (typeof arg === 'object' ? (arg && arg.type) : arg)); });
            });
          socket.on('message', function (m) { h.messages.push(describe(m)); });
          window.socket = socket;
          socket.connect();
          return true;
        };
        </script>
        """;

    /// <summary>The real socket.io 0.6.18 client (0.6.3), unchanged.</summary>
    public const string Client06 = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>socket.io 0.6.18 client</title>
        <script src="/vendor/socket.io-0.6.18.js"></script>
        """ + Harness + """
        <script>
        window.createSocket = function (transports) {
          return new io.Socket('127.0.0.1', { port: Number(location.port), transports: transports, rememberTransport: false, reconnect: false });
        };
        </script>
        </head><body>socket.io 0.6.18 client</body></html>
        """;

    /// <summary>The library's own client, served by the library.</summary>
    public const string OurClient = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>SocketIoChannels client</title>
        <script src="/socket.io/socket.io.js"></script>
        """ + Harness + """
        <script>
        window.createSocket = function (transports) {
          return new io.Socket(undefined, { transports: transports, rememberTransport: false, reconnect: false });
        };
        </script>
        </head><body>SocketIoChannels client</body></html>
        """;
}
