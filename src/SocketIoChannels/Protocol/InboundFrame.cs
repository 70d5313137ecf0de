namespace SocketIoChannels.Protocol;

/// <summary>The kinds of 0.6 message: plain text, <c>~j~</c> JSON and <c>~h~</c> heartbeat.</summary>
internal enum FrameKind : byte
{
    Text,
    Json,
    Heartbeat,
}

/// <summary>One decoded message of a payload; <see cref="Text"/> is the data after its prefix.</summary>
internal readonly record struct InboundFrame(FrameKind Kind, string Text);
