namespace SocketIoChannels.Protocol;

/// <summary>
/// The distinct channels one client asked to subscribe to and has not unsubscribed from, counted when its
/// payloads arrive (before they are handled), so that <c>MaxChannelsPerSession</c> holds exactly however fast the
/// client sends. Channels the server subscribes a session to (<c>ISocket.Subscribe</c>) are not counted.
/// </summary>
internal sealed class ClientChannelClaims
{
    private readonly HashSet<string> channels = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (channels)
            {
                return channels.Count;
            }
        }
    }

    /// <summary>Applies the (un)subscriptions of one payload, all or nothing. Returns the problem when they would
    /// exceed <paramref name="max"/> channels, and then changes nothing.</summary>
    public string? TryApply(List<InboundCommand> commands, int max)
    {
        lock (channels)
        {
            List<(string Channel, bool Added)>? undo = null;
            foreach (var command in commands)
            {
                if (command.Kind == InboundCommandKind.Subscribe)
                {
                    if (channels.Contains(command.Channel!))
                    {
                        continue;
                    }

                    if (channels.Count >= max)
                    {
                        Undo(undo);
                        return $"a session may subscribe to at most {max} channels";
                    }

                    channels.Add(command.Channel!);
                    (undo ??= []).Add((command.Channel!, true));
                }
                else if (command.Kind == InboundCommandKind.Unsubscribe && channels.Remove(command.Channel!))
                {
                    (undo ??= []).Add((command.Channel!, false));
                }
            }

            return null;
        }
    }

    private void Undo(List<(string Channel, bool Added)>? undo)
    {
        if (undo is null)
        {
            return;
        }

        for (var i = undo.Count - 1; i >= 0; i--)
        {
            if (undo[i].Added)
            {
                channels.Remove(undo[i].Channel);
            }
            else
            {
                channels.Add(undo[i].Channel);
            }
        }
    }
}
