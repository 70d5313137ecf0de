namespace SocketIoChannels.Protocol;

/// <summary>One decoded Engine.IO 4 packet: a type and either text data or binary data (binary is always a message).</summary>
/// <param name="Type">The packet type.</param>
/// <param name="Text">The text after the type character (empty when none); <see langword="null"/> for binary.</param>
/// <param name="Binary">The bytes of a binary message; <see langword="null"/> for a text packet.</param>
internal readonly record struct EngineIoPacket(EngineIoPacketType Type, string? Text, byte[]? Binary)
{
    /// <summary>Whether this is a binary message (a WebSocket binary frame, or a <c>b</c> packet in a polling payload).</summary>
    public bool IsBinary => Binary is not null;

    /// <summary>A text packet.</summary>
    public static EngineIoPacket FromText(EngineIoPacketType type, string text) => new(type, text, null);

    /// <summary>A binary message packet.</summary>
    public static EngineIoPacket FromBinary(byte[] bytes) => new(EngineIoPacketType.Message, null, bytes);
}
