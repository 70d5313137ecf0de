namespace SocketIoChannels;

/// <summary>
/// Settings of the Socket.IO server, bound from the configuration section <c>SocketIo</c> and validated at startup.
/// </summary>
/// <remarks>
/// django-socketio: the <c>SOCKETIO_*</c> settings (<c>SOCKETIO_MESSAGE_LOG_FORMAT</c>) and the 0.6 server's
/// transport options (heartbeat interval, timeout, close timeout, poll duration).
/// </remarks>
public sealed class SocketIoOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "SocketIo";

    /// <summary>The default <see cref="MessageLogFormat"/>, the original's log line.</summary>
    public const string DefaultMessageLogFormat = "{REMOTE_ADDR} - - [{TIME}] \"Socket.IO {TYPE}: {MESSAGE}\"";

    /// <summary>
    /// The path segment(s) the server answers under, without slashes at the ends: <c>socket.io</c> serves
    /// <c>/socket.io/websocket</c>, <c>/socket.io/xhr-polling/…</c> and <c>/socket.io/socket.io.js</c>.
    /// </summary>
    public string Resource { get; set; } = "socket.io";

    /// <summary>How many encoded frames may wait in one session's outbound queue before the session is
    /// dropped as a slow consumer. Default 1,000.</summary>
    public int MaxQueuedFrames { get; set; } = 1000;

    /// <summary>The largest inbound payload (one WebSocket message or one POST body) in bytes. Larger ones get
    /// HTTP 413 or WebSocket close code 1009. Default 1 MB.</summary>
    public long MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>How much of one client's input may wait for its handlers, in bytes (counted as the characters of
    /// the payloads' text, which for ASCII JSON are its bytes). Up to 64 payloads, and no more than this, wait;
    /// past either bound the server stops reading that client until its handlers catch up: its WebSocket receive
    /// or its POST waits (TCP back-pressure), nothing is dropped, and no other client is affected. A heartbeat
    /// echo that waits behind its input meanwhile does not time the client out. One payload larger than this
    /// (up to <see cref="MaxMessageSize"/>) still goes when nothing else waits. Default 4 MB.</summary>
    public int MaxQueuedInboundBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The most frames one payload (one WebSocket message or one POST) may hold, heartbeats included.
    /// A payload with more is refused as a whole: HTTP 400 or WebSocket close code 1008. Default 1,000.</summary>
    public int MaxFramesPerPayload { get; set; } = 1000;

    /// <summary>The longest channel name a client may subscribe to or unsubscribe from, in UTF-16 characters. A
    /// payload naming a longer one is refused as a whole: HTTP 400 or WebSocket close code 1008. Default 256.</summary>
    public int MaxChannelNameLength { get; set; } = 256;

    /// <summary>How many distinct channels one client may have asked to subscribe to (and not unsubscribed
    /// from), refused subscriptions included; channels the server subscribes it to with
    /// <see cref="ISocket.Subscribe"/> do not count. A payload that would exceed it is refused as a whole: HTTP
    /// 400 or WebSocket close code 1008. Default 100.</summary>
    public int MaxChannelsPerSession { get; set; } = 100;

    /// <summary>
    /// The origins whose pages may connect, as <c>scheme://host[:port]</c> (e.g. <c>https://example.com</c>), on
    /// every transport. Empty (the default): only the app's own origin, the scheme, host and port of the request
    /// itself. <c>*</c> allows every origin. A request with no <c>Origin</c> header is checked by its
    /// <c>Referer</c> (script-tag and iframe transports send no Origin); a request with neither is allowed unless
    /// the browser marked it cross-site (<c>Sec-Fetch-Site</c>), since non-browser clients send neither. A
    /// refused WebSocket upgrade gets 403, a refused POST 401, a refused jsonp-polling poll the 0.6 alert script,
    /// any other refused request 403.
    /// </summary>
    /// <remarks>Socket.IO 0.6: the server's <c>origins</c> option (which defaulted to every origin).</remarks>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>How often a heartbeat <c>~h~N</c> is sent on streaming sessions (websocket, flashsocket, htmlfile,
    /// xhr-multipart). Default 10 s (the 0.6 client gives up after 15 s of silence).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the client has to echo a heartbeat before its session is closed. Default 8 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a long-polling GET is held when there is nothing to send. Default 20 s (the 0.6 client
    /// gives up after 25 s).</summary>
    public TimeSpan PollDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a polling session lives between two polls before it ends. Default 8 s.</summary>
    public TimeSpan PollingCloseTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a WebSocket session (or another streaming one: htmlfile, xhr-multipart) waits for a new
    /// connection with its id after its connection closed. Default zero: it ends at once, as in 0.6 (the real
    /// client never resumes a session).</summary>
    public TimeSpan WebSocketCloseTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>How often the server pings a Socket.IO 5 (Engine.IO 4) client: <c>pingInterval</c> of the
    /// handshake. Default 25 s, as node.</summary>
    /// <remarks>Socket.IO 5 only; 0.6 sessions use <see cref="HeartbeatInterval"/>. (django-socketio has no such
    /// setting: it speaks 0.6 only.)</remarks>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a Socket.IO 5 client has to answer a ping before its connection is closed:
    /// <c>pingTimeout</c> of the handshake. Default 20 s, as node.</summary>
    /// <remarks>Socket.IO 5 only; 0.6 sessions use <see cref="HeartbeatTimeout"/>.</remarks>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a Socket.IO 5 client may take, after it opened its connection, to connect to a
    /// namespace: without a CONNECT by then the connection is closed. Default 45 s, as node.</summary>
    /// <remarks>Socket.IO 5 only (0.6 has no CONNECT packet).</remarks>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Connection state recovery for Socket.IO 5 clients (socket.io's <c>connectionStateRecovery</c>): off
    /// until <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/> is set.</summary>
    /// <remarks>Socket.IO 5 only; django-socketio has no such setting.</remarks>
    public ConnectionStateRecoveryOptions ConnectionStateRecovery { get; set; } = new();

    /// <summary>The event a Socket.IO 5 client subscribes to a channel with: <c>socket.emit("subscribe", "room")</c>.
    /// Default <c>subscribe</c>.</summary>
    /// <remarks>django-socketio: the client's <c>socket.subscribe(channel)</c> (<c>__subscribe__</c> on 0.6).</remarks>
    public string SubscribeEventName { get; set; } = "subscribe";

    /// <summary>The event a Socket.IO 5 client unsubscribes from a channel with. Default <c>unsubscribe</c>.</summary>
    /// <remarks>django-socketio: the client's <c>socket.unsubscribe(channel)</c> (<c>__unsubscribe__</c> on 0.6).</remarks>
    public string UnsubscribeEventName { get; set; } = "unsubscribe";

    /// <summary>The format of the line logged for each inbound message, subscribe and unsubscribe, with
    /// <c>{KEY}</c> placeholders: <c>REMOTE_ADDR</c>, <c>REQUEST_METHOD</c>, <c>PATH_INFO</c>,
    /// <c>QUERY_STRING</c>, <c>HTTP_*</c> (request headers, e.g. <c>HTTP_USER_AGENT</c>), <c>TIME</c>,
    /// <c>TYPE</c> (message, subscribe or unsubscribe) and <c>MESSAGE</c>. An unknown key renders empty.
    /// <see langword="null"/> or empty disables the log. Written at Information level to the logger category
    /// <c>SocketIoChannels.MessageLog</c>.</summary>
    /// <remarks>django-socketio: SOCKETIO_MESSAGE_LOG_FORMAT.</remarks>
    public string? MessageLogFormat { get; set; } = DefaultMessageLogFormat;

    /// <summary>The port of the Flash socket policy server, or <see langword="null"/> (the default) for none. Flash
    /// asks port 843 first (the conventional port; binding it needs root or CAP_NET_BIND_SERVICE on Linux), then the
    /// HTTP port, where the policy is answered when <see cref="FlashPolicyOnHttpPort"/> is on. A port that cannot be bound is logged as a warning and the
    /// app runs on.</summary>
    /// <remarks>Socket.IO 0.6: the <c>flashPolicyServer</c> listener option (on by default there, on 843).</remarks>
    public int? FlashPolicyPort { get; set; }

    /// <summary>When <see langword="true"/>, every Kestrel endpoint of the app also answers Flash's policy request
    /// (<c>&lt;policy-file-request/&gt;</c>, the first bytes of a connection) with the policy, which Flash asks the
    /// HTTP port for when <see cref="FlashPolicyPort"/> is not answered. Default <see langword="false"/>: connections
    /// are not inspected, and only <see cref="FlashPolicyPort"/> serves the policy. Turn it on for Flash clients
    /// (the flashsocket transport through web-socket-js) when port 843 cannot be used. It applies through Kestrel's
    /// endpoint defaults: an app that sets its own <c>ConfigureEndpointDefaults</c> after
    /// <c>AddSocketIoChannels</c> replaces it.</summary>
    /// <remarks>Socket.IO 0.6: the policy answered inline on the server's own port (its listener checks the first
    /// bytes of every connection); django-socketio's gevent server served only port 843.</remarks>
    public bool FlashPolicyOnHttpPort { get; set; }

    /// <summary>When <see langword="true"/>, a handler exception ends the session at the failing event, as the
    /// original's view did: the OnError handlers run, nothing the client sent after it is handled (the rest of its
    /// payload and the payloads queued behind it), OnDisconnect does not fire, and the teardown (OnUnsubscribe for
    /// each channel, OnFinish) runs. The same for a failing OnConnect. Default <see langword="false"/>: the
    /// session keeps running.</summary>
    public bool CloseSessionOnHandlerError { get; set; }
}
