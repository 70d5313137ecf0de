using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// One send (a message, an event, an ack), encoded at most once per protocol in use however many sessions it goes
/// to: <see cref="Frame06"/> for Socket.IO 0.6 sessions, <see cref="PacketsV5"/> for Socket.IO 5 sockets of one
/// namespace. Each form is built on first use; concurrent first uses may build it twice, never differently.
/// </summary>
/// <remarks>
/// The forms: a message is the 0.6 frame of its value (<see cref="FrameCodec.EncodeFrame"/>) and the Socket.IO 5 event
/// <c>"message"</c> with the value; an event is the 0.6 JSON message <c>{"name":…,"args":[…]}</c> (buffers as base64,
/// JSON's form of bytes) and the Socket.IO 5 EVENT, or BINARY_EVENT with the buffers as attachments; an ack exists
/// only for Socket.IO 5. A send received from another node starts from its 0.6 frame (and, for an event, the
/// Socket.IO 5 body the other node built), never from the value.
/// </remarks>
internal sealed class OutboundMessage
{
    private const string MessageEvent = "message";

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ReferenceLoopHandling = ReferenceLoopHandling.Error,
        MaxDepth = 128,
        DateParseHandling = DateParseHandling.None,
    });

    private readonly OutboundKind kind;
    private readonly object? value;
    private readonly string? eventName;
    private readonly JToken[]? args;
    private readonly long ackId;
    private byte[]? frame06;
    private Body? body;
    private Encoded? lastV5; // the packets for the namespace last asked for: a send goes to one namespace

    private OutboundMessage(OutboundKind kind, object? value, string? eventName, JToken[]? args, long ackId, byte[]? frame06, Body? body)
    {
        this.kind = kind;
        this.value = value;
        this.eventName = eventName;
        this.args = args;
        this.ackId = ackId;
        this.frame06 = frame06;
        this.body = body;
    }

    /// <summary>A message (django-socketio <c>send</c>): a 0.6 frame, or the Socket.IO 5 event <c>"message"</c>.</summary>
    public static OutboundMessage ForMessage(object? value) => new(OutboundKind.Message, value, null, null, -1, null, null);

    /// <summary>An event with its arguments (<c>byte[]</c> ones go to Socket.IO 5 sockets as binary attachments);
    /// <paramref name="ackId"/> ≥ 0 asks the client for an ack with that id (a send to one socket only).</summary>
    /// <exception cref="ArgumentException">The event name is empty, or an argument cannot be converted to JSON.</exception>
    public static OutboundMessage ForEvent(string eventName, object?[]? args, long ackId = -1)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return new(OutboundKind.Event, null, eventName, ToTokens(args), ackId, null, null);
    }

    /// <summary>The answer to the ack <paramref name="ackId"/> a Socket.IO 5 client asked for (there is no 0.6 form).</summary>
    public static OutboundMessage ForAck(long ackId, object?[]? args)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ackId);
        return new(OutboundKind.Ack, null, null, ToTokens(args), ackId, null, null);
    }

    /// <summary>A message another node encoded as the 0.6 frame <paramref name="frame"/> (the same array goes to every
    /// 0.6 recipient). <paramref name="eventJson"/>, when not <see langword="null"/>, makes it an event: the JSON
    /// array <c>["name",…args]</c> with buffers as placeholders for <paramref name="attachments"/>.</summary>
    public static OutboundMessage FromRemote(byte[] frame, string? eventJson, IReadOnlyList<byte[]>? attachments) =>
        eventJson is null
            ? new(OutboundKind.Remote06, null, null, null, -1, frame, null)
            : new(OutboundKind.Event, null, null, null, -1, frame.Length == 0 ? null : frame, new Body(eventJson, attachments ?? []));

    /// <summary>The connection state recovery offset of this send (its last argument for Socket.IO 5 sockets), or
    /// <see langword="null"/>: set once, before its first Socket.IO 5 encoding, under the broadcaster's order lock.</summary>
    public string? Offset { get; private set; }

    /// <summary>Whether this send takes a recovery offset: an event or message that asks for no ack.</summary>
    public bool IsRecoverable => kind != OutboundKind.Ack && ackId < 0;

    /// <summary>This send with <paramref name="offset"/>: itself when it has none yet and was not encoded for
    /// Socket.IO 5, otherwise a copy sharing its encoded forms but the Socket.IO 5 packets.</summary>
    public OutboundMessage WithOffset(string offset)
    {
        var target = Offset is null && Volatile.Read(ref lastV5) is null
            ? this
            : new OutboundMessage(kind, value, eventName, args, ackId, frame06, body);
        target.Offset = offset;
        return target;
    }

    /// <summary>Whether this is an event (not a message or an ack).</summary>
    public bool IsEvent => kind == OutboundKind.Event;

    /// <summary>The 0.6 frame, encoded on first use.</summary>
    /// <exception cref="InvalidOperationException">An ack, which 0.6 does not have.</exception>
    public byte[] Frame06 => frame06 ??= kind switch
    {
        OutboundKind.Message => FrameCodec.EncodeFrame(value),
        OutboundKind.Event when args is not null => FrameCodec.EncodeFrame(new JObject
        {
            ["name"] = eventName,
            ["args"] = new JArray(args.Select(arg => arg.DeepClone())), // the tokens stay free for the Socket.IO 5 body
        }),
        OutboundKind.Event => throw new InvalidOperationException("An event from another node without its 0.6 frame goes to Socket.IO 5 sockets only."),
        _ => throw new InvalidOperationException("Socket.IO 0.6 has no acks."),
    };

    /// <summary>The Socket.IO 5 JSON of an event or ack (<c>["name",…args]</c>, or the ack's arguments), buffers
    /// replaced by placeholders, and the buffers: what the backplane carries so that no node re-encodes it.</summary>
    public (string Json, IReadOnlyList<byte[]> Attachments) BodyV5
    {
        get
        {
            var built = body ??= BuildBody();
            return (built.Json, built.Attachments);
        }
    }

    /// <summary>The Engine.IO packets of this send for a socket in <paramref name="nsp"/>, in queue form (see
    /// <see cref="EngineIoCodec.QueuedText"/>): one text packet, then the binary attachments, if any.</summary>
    public byte[][] PacketsV5(string nsp)
    {
        var last = Volatile.Read(ref lastV5);
        if (last is not null && string.Equals(last.Namespace, nsp, StringComparison.Ordinal))
        {
            return last.Packets;
        }

        var encoded = new Encoded(nsp, EncodeV5(nsp));
        Volatile.Write(ref lastV5, encoded);
        return encoded.Packets;
    }

    private byte[][] EncodeV5(string nsp)
    {
        var built = body ??= BuildBody();
        var binary = built.Attachments.Count > 0;
        var type = kind == OutboundKind.Ack
            ? binary ? SocketIoPacketType.BinaryAck : SocketIoPacketType.Ack
            : binary ? SocketIoPacketType.BinaryEvent : SocketIoPacketType.Event;
        var json = Offset is null ? built.Json : built.Json[..^1] + "," + JsonConvert.ToString(Offset) + "]"; // the offset goes last
        var text = SocketIoPacketCodec.Encode(type, nsp, ackId >= 0 ? ackId : null, json, built.Attachments.Count);
        var packets = new byte[1 + built.Attachments.Count][];
        packets[0] = EngineIoCodec.QueuedText(EngineIoPacketType.Message, text);
        for (var i = 0; i < built.Attachments.Count; i++)
        {
            packets[i + 1] = EngineIoCodec.QueuedBinary(built.Attachments[i]);
        }

        return packets;
    }

    private Body BuildBody()
    {
        JArray data;
        switch (kind)
        {
            case OutboundKind.Message:
                data = new JArray(MessageEvent, ToToken(value));
                break;
            case OutboundKind.Remote06:
                data = new JArray(MessageEvent, MessageOfFrame(frame06!));
                break;
            case OutboundKind.Event:
                data = new JArray(eventName!);
                foreach (var arg in args!)
                {
                    data.Add(arg);
                }

                break;
            default:
                data = new JArray(args!);
                break;
        }

        if (!SocketIoBinary.HasBinary(data))
        {
            return new Body(data.ToString(Formatting.None), []);
        }

        var attachments = new List<byte[]>();
        var json = SocketIoBinary.Deconstruct(data, attachments).ToString(Formatting.None);
        return new Body(json, attachments);
    }

    /// <summary>The value a 0.6 frame carries: its text, or its JSON.</summary>
    private static JToken MessageOfFrame(byte[] frame)
    {
        var frames = new List<InboundFrame>(1);
        var text = FrameCodec.Utf8.GetString(frame);
        if (!FrameCodec.TryDecode(text, frames, out _) || frames.Count != 1)
        {
            return new JValue(text); // not a frame (never from this library): passed on as it is
        }

        var decoded = frames[0];
        return decoded.Kind == FrameKind.Json ? FrameCodec.TryParseJson(decoded.Text, out _) ?? new JValue(decoded.Text) : new JValue(decoded.Text);
    }

    private static JToken[] ToTokens(object?[]? args)
    {
        if (args is null || args.Length == 0)
        {
            return [];
        }

        var tokens = new JToken[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            tokens[i] = ToToken(args[i]);
        }

        return tokens;
    }

    private static JToken ToToken(object? value)
    {
        try
        {
            return value switch
            {
                null => JValue.CreateNull(),
                JToken token => token.DeepClone(),
                _ => JToken.FromObject(value, Serializer),
            };
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"A value of type {value!.GetType().Name} cannot be sent as JSON: {exception.Message}", exception);
        }
    }

    private enum OutboundKind : byte
    {
        Message,
        Event,
        Ack,
        Remote06,
    }

    private sealed record Body(string Json, IReadOnlyList<byte[]> Attachments);

    private sealed record Encoded(string Namespace, byte[][] Packets);
}
