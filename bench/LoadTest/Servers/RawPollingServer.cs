using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SocketIoChannels.LoadTest.Servers;

/// <summary>
/// The long-polling floor for .NET: Kestrel with just enough Socket.IO 0.6 xhr-polling and Engine.IO 4 polling for
/// the load clients (Client/XhrPollingClient, Client/EngineIoPollingClient), as a middleware. A handshake GET
/// creates a session; a poll GET is held until something is queued and answered with everything queued (the bytes
/// encoded once per broadcast, Content-Length set, the body written once); a POST is read to its end and answered
/// <c>ok</c>. The first POST subscribes the session (the 0.6 client's <c>__subscribe__</c>, the Engine.IO
/// client's Socket.IO connect <c>40</c>, answered with <c>40{"sid":…}</c> on the next poll). No heartbeats, no poll
/// timeout, no channels, no redelivery: the HTTP work of one delivery per request and little else.
/// </summary>
internal sealed class RawPollingServer
{
    private const string Prefix06 = "/socket.io/xhr-polling/";
    private const string TextPlain = "text/plain; charset=UTF-8";
    private static readonly byte[] Ok = "ok"u8.ToArray();
    private readonly ConcurrentDictionary<string, RawPollSession> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RawPollSession>.AlternateLookup<ReadOnlySpan<char>> byId;
    private readonly object gate = new();
    private RawPollSession[] subscribed = [];

    public RawPollingServer() => byId = sessions.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Subscribers => Volatile.Read(ref subscribed).Length;

    /// <summary>Queues the payload for every subscribed session, encoded once per protocol.</summary>
    public void Broadcast(string payload)
    {
        byte[]? frame06 = null;
        byte[]? frame5 = null;
        foreach (var session in Volatile.Read(ref subscribed))
        {
            session.Enqueue(session.V5
                ? frame5 ??= Encoding.UTF8.GetBytes("42" + JsonSerializer.Serialize(new[] { "message", payload }))
                : frame06 ??= Encoding.UTF8.GetBytes("~m~" + payload.Length.ToString(CultureInfo.InvariantCulture) + "~m~" + payload));
        }
    }

    /// <summary>The task that serves a polling request, or null when the request is not one.</summary>
    public Task? TryHandle(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path == "/socket.io/" && QueryValue(context, "EIO=") is "4")
        {
            return HandleV5(context);
        }

        return path is not null && path.StartsWith(Prefix06, StringComparison.Ordinal) ? Handle06(context, path.AsSpan(Prefix06.Length)) : null;
    }

    /// <summary>0.6: <c>//ts</c> handshake, <c>SID/send</c> POST, <c>SID/ts</c> poll.</summary>
    private Task Handle06(HttpContext context, ReadOnlySpan<char> rest)
    {
        var slash = rest.IndexOf('/');
        var sid = slash < 0 ? rest : rest[..slash];
        var method = context.Request.Method;
        if (sid.IsEmpty)
        {
            if (!HttpMethods.IsGet(method))
            {
                return Refuse(context);
            }

            var session = Create(v5: false);
            var handshake = Encoding.UTF8.GetBytes("~m~" + session.Id.Length.ToString(CultureInfo.InvariantCulture) + "~m~" + session.Id);
            return WriteAsync(context, [handshake], v5: false);
        }

        if (!byId.TryGetValue(sid, out var found))
        {
            return Refuse(context);
        }

        return HttpMethods.IsPost(method) ? PostAsync(context, found, "text/plain")
            : HttpMethods.IsGet(method) ? PollAsync(context, found)
            : Refuse(context);
    }

    /// <summary>Engine.IO 4: handshake GET without <c>sid</c>, poll GET and POST with it.</summary>
    private Task HandleV5(HttpContext context)
    {
        var sid = QueryValue(context, "sid=");
        var method = context.Request.Method;
        if (sid is null)
        {
            if (!HttpMethods.IsGet(method))
            {
                return Refuse(context);
            }

            var session = Create(v5: true);
            var open = Encoding.UTF8.GetBytes("0{\"sid\":\"" + session.Id + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
            return WriteAsync(context, [open], v5: true);
        }

        if (!byId.TryGetValue(sid.AsSpan(), out var found))
        {
            return Refuse(context);
        }

        return HttpMethods.IsPost(method) ? PostAsync(context, found, "text/html")
            : HttpMethods.IsGet(method) ? PollAsync(context, found)
            : Refuse(context);
    }

    private RawPollSession Create(bool v5)
    {
        var session = new RawPollSession(v5 ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_')
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), v5);
        sessions[session.Id] = session;
        return session;
    }

    private static async Task PollAsync(HttpContext context, RawPollSession session)
    {
        var frames = await session.TakeAsync(context.RequestAborted).ConfigureAwait(false);
        if (frames is not null && !context.RequestAborted.IsCancellationRequested)
        {
            await WriteAsync(context, frames, session.V5).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the body to its end; <c>40</c> (Engine.IO: the Socket.IO connect) or any 0.6 POST subscribes
    /// the session, <c>1</c> (Engine.IO close) ends it.</summary>
    private async Task PostAsync(HttpContext context, RawPollSession session, string contentType)
    {
        var reader = context.Request.BodyReader;
        byte first = 0;
        byte second = 0;
        long length = 0;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var segment in read.Buffer)
            {
                foreach (var b in segment.Span)
                {
                    if (length == 0)
                    {
                        first = b;
                    }
                    else if (length == 1)
                    {
                        second = b;
                    }

                    length++;
                }
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        if (!session.V5 || (first == '4' && second == '0'))
        {
            if (session.V5)
            {
                session.Enqueue(Encoding.UTF8.GetBytes("40{\"sid\":\"" + session.Id + "\"}"));
            }

            Subscribe(session);
        }
        else if (first == '1' && length == 1)
        {
            sessions.TryRemove(session.Id, out _);
            Unsubscribe(session);
            session.Close();
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = Ok.Length;
        await response.BodyWriter.WriteAsync(Ok, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>One response: status, Content-Type, Content-Length, the frames written once (Engine.IO: joined by
    /// U+001E), one flush.</summary>
    private static async Task WriteAsync(HttpContext context, byte[][] frames, bool v5)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = TextPlain;
        long length = v5 ? frames.Length - 1 : 0;
        foreach (var frame in frames)
        {
            length += frame.Length;
        }

        response.ContentLength = length;
        var writer = response.BodyWriter;
        for (var i = 0; i < frames.Length; i++)
        {
            if (v5 && i > 0)
            {
                writer.Write<byte>([0x1e]);
            }

            writer.Write(frames[i]);
        }

        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private void Subscribe(RawPollSession session)
    {
        lock (gate)
        {
            if (Array.IndexOf(subscribed, session) < 0)
            {
                subscribed = [.. subscribed, session];
            }
        }
    }

    private void Unsubscribe(RawPollSession session)
    {
        lock (gate)
        {
            subscribed = Array.FindAll(subscribed, s => !ReferenceEquals(s, session));
        }
    }

    private static Task Refuse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return Task.CompletedTask;
    }

    /// <summary>The value of <paramref name="key"/> (with its <c>=</c>) in the query string, without parsing the
    /// whole query; null when absent.</summary>
    private static string? QueryValue(HttpContext context, string key)
    {
        var query = context.Request.QueryString.Value.AsSpan();
        for (var at = query.IndexOf(key, StringComparison.Ordinal); at >= 0; at = query.IndexOf(key, StringComparison.Ordinal))
        {
            if (at > 0 && query[at - 1] is '?' or '&')
            {
                var value = query[(at + key.Length)..];
                var end = value.IndexOf('&');
                return (end < 0 ? value : value[..end]).ToString();
            }

            query = query[(at + key.Length)..];
        }

        return null;
    }
}
