using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>What the client sends an Engine.IO session: polling payloads and WebSocket messages, decoded into
/// Engine.IO packets (docs/protocol-v5.md §1.3), whose messages are Socket.IO 5 packets. Any malformed packet ends
/// the session.</summary>
internal sealed partial class EngineIoSession
{
    private int receiving; // 1 while a payload or message is being handled: one at a time, in order

    /// <summary>Takes a POST body: its packets in order. Throws <see cref="InvalidPayloadException"/> when it is
    /// malformed (the caller ends the session).</summary>
    public async ValueTask<string?> ReceivePayloadAsync(string payload, CancellationToken cancellationToken)
    {
        var packets = new List<EngineIoPacket>();
        var result = EngineIoCodec.DecodePayload(payload, limits.MaxFramesPerPayload, packets);
        if (result != DecodeResult.Ok)
        {
            throw Malformed(result == DecodeResult.TooManyFrames
                ? $"a payload of more than {limits.MaxFramesPerPayload} packets"
                : "a malformed payload");
        }

        return await ReceiveAsync(packets, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes one WebSocket message.</summary>
    public ValueTask<string?> ReceiveMessageAsync(string? text, byte[]? binary, CancellationToken cancellationToken)
    {
        EngineIoPacket packet;
        if (binary is not null)
        {
            packet = EngineIoPacket.FromBinary(binary);
        }
        else if (!EngineIoCodec.TryDecodeText(text ?? string.Empty, out packet))
        {
            throw Malformed("an unknown Engine.IO packet type");
        }

        return ReceiveAsync([packet], cancellationToken);
    }

    private async ValueTask<string?> ReceiveAsync(List<EngineIoPacket> packets, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref receiving, 1) != 0)
        {
            throw Malformed("packets on two transports at once");
        }

        try
        {
            string? problem = null;
            foreach (var packet in packets)
            {
                problem ??= await HandlePacketAsync(packet, cancellationToken).ConfigureAwait(false);
            }

            return problem;
        }
        finally
        {
            Volatile.Write(ref receiving, 0);
        }
    }

    private ValueTask<string?> HandlePacketAsync(EngineIoPacket packet, CancellationToken cancellationToken)
    {
        switch (packet.Type)
        {
            case EngineIoPacketType.Pong:
                OnPong();
                break;
            case EngineIoPacketType.Ping:
                TryEnqueue([EngineIoCodec.QueuedText(EngineIoPacketType.Pong, packet.Text)]);
                break;
            case EngineIoPacketType.Close:
                End(SessionEndReason.Normal); // the client closed: its sockets see OnDisconnect
                break;
            case EngineIoPacketType.Message:
                return packet.Binary is { } bytes
                    ? ReceiveAttachmentAsync(bytes, cancellationToken)
                    : ReceiveSocketIoAsync(packet.Text!, cancellationToken);
            case EngineIoPacketType.Upgrade or EngineIoPacketType.Noop:
                break;
            default:
                throw Malformed("an open packet from the client");
        }

        return ValueTask.FromResult<string?>(null);
    }

    /// <summary>Logs why a packet breaks the protocol and returns the exception that tells the transport, which ends
    /// the session: a POST with HTTP 400, a WebSocket with its close (1007) and then the session (it does not
    /// outlive its WebSocket). Not ended here, so that a WebSocket's close says why before the session's end closes it.</summary>
    private InvalidPayloadException Malformed(string problem)
    {
        owner.OnMalformed(this, problem);
        return new InvalidPayloadException("Invalid packet: " + problem + ".", overLimit: false);
    }
}
