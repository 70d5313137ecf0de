using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>One decoded Socket.IO 5 packet (before its binary attachments, if any, are put in place).</summary>
/// <param name="Type">The packet type.</param>
/// <param name="Namespace">The namespace, <c>/</c> when the packet names none.</param>
/// <param name="AckId">The ack id, or <see langword="null"/>.</param>
/// <param name="Attachments">The number of binary attachments that follow (binary types only; 0 otherwise).</param>
/// <param name="Data">The JSON payload, or <see langword="null"/> when the packet has none.</param>
internal sealed record SocketIoPacket(SocketIoPacketType Type, string Namespace, long? AckId, int Attachments, JToken? Data)
{
    /// <summary>Whether the packet's binary attachments follow it.</summary>
    public bool IsBinary => Type is SocketIoPacketType.BinaryEvent or SocketIoPacketType.BinaryAck;
}
