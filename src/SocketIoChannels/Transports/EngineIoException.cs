namespace SocketIoChannels.Transports;

/// <summary>An Engine.IO request the server refuses (docs/protocol-v5.md §1.1): the dispatcher answers HTTP 400 with
/// node's JSON body <c>{"code":N,"message":"…"}</c>; <see cref="Exception.Message"/> holds the detail for the log.</summary>
internal sealed class EngineIoException : Exception
{
    public const int TransportUnknown = 0;
    public const int UnknownSid = 1;
    public const int BadHandshakeMethod = 2;
    public const int BadRequest = 3;
    public const int UnsupportedProtocolVersion = 5;

    public EngineIoException(int code, string detail) : base(detail)
    {
        Code = code;
    }

    /// <summary>Node's error code.</summary>
    public int Code { get; }

    /// <summary>Node's error message for <see cref="Code"/>.</summary>
    public string CodeMessage => MessageOf(Code);

    /// <summary>Node's error message for <paramref name="code"/>.</summary>
    public static string MessageOf(int code) => code switch
    {
        TransportUnknown => "Transport unknown",
        UnknownSid => "Session ID unknown",
        BadHandshakeMethod => "Bad handshake method",
        UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => "Bad request",
    };
}
