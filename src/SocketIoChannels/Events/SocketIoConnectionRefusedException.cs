using Newtonsoft.Json.Linq;

namespace SocketIoChannels;

/// <summary>
/// Thrown by an OnConnect handler to refuse a Socket.IO 5 client's connection: the client gets a CONNECT_ERROR with
/// <see cref="Exception.Message"/> and <see cref="ErrorData"/> (socket.io-client's <c>connect_error</c> event, its
/// <c>err.message</c> and <c>err.data</c>), and the socket gets no further events (no OnDisconnect, no OnFinish).
/// A 0.6 session, which has no refusal, is ended the same way.
/// </summary>
/// <remarks>socket.io: <c>next(new Error(message))</c> in a middleware, with <c>err.data</c>; django-socketio had no
/// refusal. The other handlers of OnConnect are skipped and OnError does not run.</remarks>
public sealed class SocketIoConnectionRefusedException : Exception
{
    /// <summary>Refuses the connection with <paramref name="message"/> and optional <paramref name="data"/> (any
    /// value that serializes to JSON).</summary>
    public SocketIoConnectionRefusedException(string message, object? data = null)
        : base(message)
    {
        // socket.io: next(Object.assign(new Error(message), { data })).
        ErrorData = data;
    }

    /// <summary>Refuses the connection with <paramref name="message"/>.</summary>
    /// <remarks>socket.io: <c>next(new Error(message))</c>.</remarks>
    public SocketIoConnectionRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Refuses the connection with the message "Connection refused".</summary>
    /// <remarks>socket.io: <c>next(new Error(message))</c>.</remarks>
    public SocketIoConnectionRefusedException()
        : base("Connection refused")
    {
    }

    /// <summary>Refuses the connection with <paramref name="message"/>, keeping the exception that caused it.</summary>
    /// <remarks>socket.io: <c>next(new Error(message))</c>.</remarks>
    public SocketIoConnectionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The <c>data</c> of the CONNECT_ERROR, or <see langword="null"/>.</summary>
    /// <remarks>socket.io: <c>err.data</c>. (Named so because <see cref="Exception.Data"/> is taken.)</remarks>
    public object? ErrorData { get; }

    /// <summary>The <c>data</c> as JSON, or <see langword="null"/>.</summary>
    internal JToken? ErrorDataJson => ErrorData switch
    {
        null => null,
        JToken token => token,
        var value => JToken.FromObject(value),
    };
}
