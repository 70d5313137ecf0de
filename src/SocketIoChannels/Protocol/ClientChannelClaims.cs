namespace SocketIoChannels.Protocol;

/// <summary>
/// The distinct channels one client asked to subscribe to and has not unsubscribed from, counted when its
/// payloads arrive (before they are handled), so that <c>MaxChannelsPerSession</c> holds exactly however fast the
/// client sends. Channels the server subscribes a session to (<c>ISocket.Subscribe</c>) are not counted.
/// </summary>
/// <remarks>A small array searched in order (at most <c>MaxChannelsPerSession</c>, 100 by default), allocated at the
/// first subscription: an idle session subscribed to one channel costs 32 bytes here, a hash set cost 160.</remarks>
internal sealed class ClientChannelClaims
{
    private string[]? channels;
    private int count;

    public int Count
    {
        get
        {
            lock (this)
            {
                return count;
            }
        }
    }

    /// <summary>Applies the (un)subscriptions of one payload, all or nothing. Returns the problem when they would
    /// exceed <paramref name="max"/> channels, and then changes nothing.</summary>
    public string? TryApply(List<InboundCommand> commands, int max)
    {
        lock (this)
        {
            List<(string Channel, bool Added)>? undo = null;
            foreach (var command in commands)
            {
                if (command.Kind == InboundCommandKind.Subscribe)
                {
                    if (IndexOf(command.Channel!) >= 0)
                    {
                        continue;
                    }

                    if (count >= max)
                    {
                        Undo(undo);
                        return $"a session may subscribe to at most {max} channels";
                    }

                    Add(command.Channel!);
                    (undo ??= []).Add((command.Channel!, true));
                }
                else if (command.Kind == InboundCommandKind.Unsubscribe && Remove(command.Channel!))
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
                Remove(undo[i].Channel);
            }
            else
            {
                Add(undo[i].Channel);
            }
        }
    }

    private int IndexOf(string channel)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(channels![i], channel, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Add(string channel)
    {
        if (channels is null || count == channels.Length)
        {
            Array.Resize(ref channels, count == 0 ? 1 : count * 2);
        }

        channels[count++] = channel;
    }

    private bool Remove(string channel)
    {
        var index = IndexOf(channel);
        if (index < 0)
        {
            return false;
        }

        count--;
        channels![index] = channels[count]; // order does not matter: only membership and the count are used
        channels[count] = null!;
        return true;
    }
}
