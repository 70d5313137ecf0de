using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>What a client asked for with one or two frames.</summary>
internal enum InboundCommandKind : byte
{
    Message,
    Subscribe,
    Unsubscribe,
}

/// <summary>One client command: a message (<see cref="Message"/>) or a channel (un)subscription
/// (<see cref="Channel"/>).</summary>
internal readonly record struct InboundCommand(InboundCommandKind Kind, JToken? Message, string? Channel)
{
    public static InboundCommand ForMessage(JToken message) => new(InboundCommandKind.Message, message, null);
}
