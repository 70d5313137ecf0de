using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>What a client asked for with one or two frames (0.6) or one packet (Socket.IO 5).</summary>
internal enum InboundCommandKind : byte
{
    Message,
    Subscribe,
    Unsubscribe,

    /// <summary>A Socket.IO 5 event other than <c>message</c>, <c>subscribe</c> and <c>unsubscribe</c>.</summary>
    Event,
}

/// <summary>One client command: a message (<see cref="Message"/>), a channel (un)subscription
/// (<see cref="Channel"/>) or, from a Socket.IO 5 client, a named event.</summary>
/// <param name="Kind">What was asked.</param>
/// <param name="Message">A message: the message (0.6), or the first argument of the event <c>message</c> (5).</param>
/// <param name="Channel">The channel of a (un)subscription.</param>
/// <param name="EventName">The event's name (Socket.IO 5 only; <c>message</c> for a Socket.IO 5 message).</param>
/// <param name="Args">All the event's arguments (Socket.IO 5 only); binary ones as <see cref="JTokenType.Bytes"/>.</param>
/// <param name="AckId">The id the client wants an ack for, or -1 when it asked for none (always -1 for 0.6).</param>
internal readonly record struct InboundCommand(InboundCommandKind Kind, JToken? Message, string? Channel,
    string? EventName = null, JToken[]? Args = null, long AckId = -1)
{
    public static InboundCommand ForMessage(JToken message) => new(InboundCommandKind.Message, message, null);

    /// <summary>Whether the client asked for an ack.</summary>
    public bool WantsAck => AckId >= 0;
}
