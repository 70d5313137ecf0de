using Newtonsoft.Json.Linq;
using SocketIoChannels.Protocol;

namespace SocketIoChannels.Sessions;

/// <summary>
/// The Socket.IO 5 layer of an Engine.IO session (docs/protocol-v5.md §2): CONNECT creates a namespace socket (a
/// <see cref="Session"/> started through <see cref="ISessionStarter"/>), DISCONNECT ends one, EVENTs become
/// <see cref="InboundCommand"/>s of their socket, ACKs answer the server's own acks. A binary packet waits for its
/// attachments (bounded in number before anything is allocated, and in bytes by maxPayload).
/// </summary>
internal sealed partial class EngineIoSession
{
    // One per namespace, in CONNECT order; replaced, never changed in place, under the lock. An array rather than a
    // dictionary: almost every session has one or two namespaces, and an idle one keeps it for its whole life.
    private Session[]? sockets;
    private SocketIoPacket? pendingBinary; // a binary packet waiting for its attachments
    private List<byte[]>? attachments;
    private int attachmentBytes;

    private async ValueTask<string?> ReceiveSocketIoAsync(string text, CancellationToken cancellationToken)
    {
        if (pendingBinary is not null)
        {
            throw Malformed($"a text packet while {pendingBinary.Attachments - attachments!.Count} binary attachments were due");
        }

        if (SocketIoPacketCodec.TryDecode(text, timings.MaxAttachments, out var packet) is { } problem)
        {
            throw Malformed(problem);
        }

        if (packet!.IsBinary && packet.Attachments > 0)
        {
            pendingBinary = packet;
            attachments = new List<byte[]>(packet.Attachments);
            attachmentBytes = text.Length;
            return null;
        }

        return await DeliverAsync(packet, text.Length, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string?> ReceiveAttachmentAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        if (pendingBinary is not { } packet)
        {
            throw Malformed("a binary message that no packet announced");
        }

        attachmentBytes += bytes.Length;
        if (attachmentBytes > timings.MaxPayload)
        {
            throw Malformed($"a packet and its attachments over maxPayload ({timings.MaxPayload} bytes)");
        }

        attachments!.Add(bytes);
        if (attachments.Count < packet.Attachments)
        {
            return null;
        }

        var collected = attachments;
        var size = attachmentBytes;
        pendingBinary = null;
        attachments = null;
        attachmentBytes = 0;
        if (packet.Data is null || !SocketIoBinary.TryReconstruct(packet.Data, collected))
        {
            throw Malformed("a binary placeholder that names no attachment");
        }

        return await DeliverAsync(packet, size, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string?> DeliverAsync(SocketIoPacket packet, int size, CancellationToken cancellationToken)
    {
        switch (packet.Type)
        {
            case SocketIoPacketType.Connect:
                Connect(packet.Namespace, packet.Data as JObject);
                return null;
            case SocketIoPacketType.Disconnect:
                FindSocket(packet.Namespace)?.EndFromEngine(SessionEndReason.Normal);
                return null;
            case SocketIoPacketType.Event or SocketIoPacketType.BinaryEvent:
                return await ReceiveEventAsync(packet, size, cancellationToken).ConfigureAwait(false);
            case SocketIoPacketType.Ack or SocketIoPacketType.BinaryAck:
                FindSocket(packet.Namespace)?.CompleteAck(packet.AckId!.Value, [.. (JArray)packet.Data!]);
                return null;
            default:
                throw Malformed("a CONNECT_ERROR from the client");
        }
    }

    private void Connect(string nsp, JObject? auth)
    {
        if (FindSocket(nsp) is not null)
        {
            owner.OnIgnored(this, "a CONNECT to " + nsp + ", which the session is connected to already");
            return;
        }

        if (!starter.HasNamespace(nsp))
        {
            TryEnqueue([Session.ConnectError(nsp, "Invalid namespace", null)]);
            return;
        }

        lock (gate)
        {
            everConnected = true;
        }

        if (auth is not null && starter.TryRestoreSocket(this, nsp, auth) is { } restored)
        {
            bool kept;
            lock (gate)
            {
                kept = state == 0;
            }

            if (!kept)
            {
                restored.EndFromEngine(EndReason); // this session ended meanwhile
            }

            return;
        }

        if (starter.StartSocket(this, nsp, auth) is not { } socket)
        {
            return; // the host is stopping
        }

        bool added;
        lock (gate)
        {
            added = state == 0 && socket.IsAlive;
            if (added)
            {
                SetSocket(nsp, socket);
            }
        }

        if (!added)
        {
            socket.EndFromEngine(EndReason);
        }
    }

    /// <summary>Makes a new socket findable before its loop starts (the starter calls it): the loop may answer the
    /// CONNECT at once, and the client's next packets for the namespace must find the socket. <see cref="Connect"/>
    /// adds it again (the same entry) or ends it when this session ended meanwhile.</summary>
    internal void RegisterSocket(string nsp, Session socket)
    {
        lock (gate)
        {
            if (state == 0)
            {
                SetSocket(nsp, socket);
            }
        }
    }

    private Session? FindSocket(string nsp)
    {
        lock (gate)
        {
            return IndexOfSocket(nsp) is var index and >= 0 ? sockets![index] : null;
        }
    }

    // Under the lock: the index of the socket of nsp, or -1.
    private int IndexOfSocket(string nsp)
    {
        if (sockets is null)
        {
            return -1;
        }

        for (var i = 0; i < sockets.Length; i++)
        {
            if (string.Equals(sockets[i].Namespace, nsp, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // Under the lock: makes socket the one of nsp, in place of one before it.
    private void SetSocket(string nsp, Session socket)
    {
        var index = IndexOfSocket(nsp);
        if (index >= 0)
        {
            var replaced = (Session[])sockets!.Clone();
            replaced[index] = socket;
            sockets = replaced;
        }
        else
        {
            sockets = sockets is null ? [socket] : [.. sockets, socket];
        }
    }

    private async ValueTask<string?> ReceiveEventAsync(SocketIoPacket packet, int size, CancellationToken cancellationToken)
    {
        if (FindSocket(packet.Namespace) is not { } socket)
        {
            owner.OnIgnored(this, "an event for " + packet.Namespace + ", which the session is not connected to");
            return null;
        }

        var data = (JArray)packet.Data!;
        var name = data[0].ToString();
        JToken[] args = [.. data.Skip(1)];
        var ackId = packet.AckId ?? -1;
        InboundCommand command;
        if (name == "message")
        {
            command = new InboundCommand(InboundCommandKind.Message, args.Length > 0 ? args[0] : JValue.CreateNull(), null, name, args, ackId);
        }
        else if ((name == timings.SubscribeEventName || name == timings.UnsubscribeEventName)
            && args.Length > 0 && args[0] is JValue { Type: JTokenType.String, Value: string channel })
        {
            var kind = name == timings.SubscribeEventName ? InboundCommandKind.Subscribe : InboundCommandKind.Unsubscribe;
            command = new InboundCommand(kind, null, channel, name, args, ackId);
            var refused = channel.Length > limits.MaxChannelNameLength
                ? $"a channel name may have at most {limits.MaxChannelNameLength} characters"
                : socket.Channels.TryClaim([command], limits.MaxChannelsPerSession);
            if (refused is not null)
            {
                Refuse(socket, ackId, refused);
                return null;
            }
        }
        else
        {
            command = new InboundCommand(InboundCommandKind.Event, null, null, name, args, ackId);
        }

        Interlocked.Increment(ref receivesWaiting);
        try
        {
            return await socket.EnqueueCommandAsync(command, size, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                receivesWaiting--;
                if (awaitingPong)
                {
                    pingSentAt = Math.Max(pingSentAt, timings.Now());
                }
            }
        }
    }

    /// <summary>A (un)subscription over a limit: not queued; the client's ack, when it asked for one, gets the error.</summary>
    private void Refuse(Session socket, long ackId, string problem)
    {
        owner.OnIgnored(this, "a subscription of socket " + socket.Id + ": " + problem);
        if (ackId >= 0)
        {
            var error = new JArray(new JObject { ["message"] = problem });
            TryEnqueue([EngineIoCodec.QueuedText(EngineIoPacketType.Message, SocketIoPacketCodec.Encode(SocketIoPacketType.Ack, socket.Namespace, ackId, error))]);
        }
    }

    /// <summary>A socket of this session ended: it leaves the session, and the client is told with a DISCONNECT
    /// when the server disconnected it.</summary>
    internal void OnSocketEnded(Session socket)
    {
        var notify = socket.ShouldSendDisconnect;
        lock (gate)
        {
            if (IndexOfSocket(socket.Namespace) is var index and >= 0 && ReferenceEquals(sockets![index], socket))
            {
                sockets = sockets.Length == 1 ? null : [.. sockets.Where((_, i) => i != index)];
            }

            if (state != 0)
            {
                return;
            }
        }

        if (notify)
        {
            TryEnqueue([EngineIoCodec.QueuedText(EngineIoPacketType.Message, SocketIoPacketCodec.Encode(SocketIoPacketType.Disconnect, socket.Namespace, null, (string?)null))]);
        }
    }
}
