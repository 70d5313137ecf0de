using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>The parts of an event only a Socket.IO 5 client sends: all its arguments, its name, and the
/// acknowledgement it asked for.</summary>
internal sealed record V5Arguments(JToken[]? Args, string? EventName, AckResponder? Ack);
