namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>Several "nodes" in one process that share an <see cref="InMemoryBackplane"/> bus: the fake the backplane
/// specification runs against beside Redis. It follows the contract as Redis does: a message reaches every node
/// that declared the matching interest, the sender included, and the count excludes the sender.</summary>
public sealed class InMemoryBackplaneBus
{
    private readonly object gate = new();
    private readonly List<InMemoryBackplane> nodes = [];

    public TimeSpan PresenceExpiry { get; init; } = TimeSpan.FromSeconds(1);

    public InMemoryBackplane CreateNode() => new(this);

    internal void Join(InMemoryBackplane node)
    {
        lock (gate)
        {
            nodes.Add(node);
        }
    }

    internal void Leave(InMemoryBackplane node)
    {
        lock (gate)
        {
            nodes.Remove(node);
        }
    }

    internal InMemoryBackplane[] Nodes()
    {
        lock (gate)
        {
            return [.. nodes];
        }
    }
}

public sealed class InMemoryBackplane(InMemoryBackplaneBus bus) : ISocketIoBackplane
{
    private readonly object gate = new();
    private readonly Dictionary<string, int> channels = new(StringComparer.Ordinal);
    private int sessions;
    private DateTime? diedAt;
    private ISocketIoBackplaneReceiver? receiver;

    public string NodeId { get; private set; } = "";

    public bool IsConnected { get; set; } = true;

    public int PublishFailures;

    public Task StartAsync(string nodeId, ISocketIoBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        NodeId = nodeId;
        this.receiver = receiver;
        bus.Join(this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        bus.Leave(this);
        return Task.CompletedTask;
    }

    /// <summary>The node stops without cleaning up: its presence lingers until it expires.</summary>
    public void Die()
    {
        lock (gate)
        {
            diedAt = DateTime.UtcNow;
            receiver = null;
        }
    }

    public Task<long> PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default)
    {
        if (!IsConnected || diedAt is not null)
        {
            Interlocked.Increment(ref PublishFailures);
            return Task.FromException<long>(new InvalidOperationException("The in-memory backplane is disconnected."));
        }

        long others = 0;
        foreach (var node in bus.Nodes())
        {
            if (node.Wants(message))
            {
                if (node != this)
                {
                    others++;
                }

                node.Deliver(message);
            }
        }

        return Task.FromResult(others);
    }

    public void ActivateChannel(string channel)
    {
        lock (gate)
        {
            channels[channel] = channels.GetValueOrDefault(channel) + 1;
        }
    }

    public void DeactivateChannel(string channel)
    {
        lock (gate)
        {
            var count = channels.GetValueOrDefault(channel) - 1;
            if (count > 0)
            {
                channels[channel] = count;
            }
            else
            {
                channels.Remove(channel);
            }
        }
    }

    /// <summary>How many local subscriptions declared interest in <paramref name="channel"/>.</summary>
    public int Interest(string channel)
    {
        lock (gate)
        {
            return channels.GetValueOrDefault(channel);
        }
    }

    public void SessionStarted() => Interlocked.Increment(ref sessions);

    public void SessionEnded() => Interlocked.Decrement(ref sessions);

    public Task<long> CountRemoteSubscribersAsync(string channel, CancellationToken cancellationToken = default) =>
        Task.FromResult(bus.Nodes().Where(n => n != this).Sum(n => n.Presence(channel)));

    private long Presence(string channel)
    {
        lock (gate)
        {
            return diedAt is { } died && DateTime.UtcNow - died > bus.PresenceExpiry ? 0 : channels.GetValueOrDefault(channel);
        }
    }

    private bool Wants(BackplaneMessage message)
    {
        lock (gate)
        {
            if (diedAt is not null || !IsConnected)
            {
                return false;
            }

            return message.Target switch
            {
                BackplaneTarget.Channel => channels.ContainsKey(message.Channel!),
                BackplaneTarget.Session => message.NodeId == NodeId && sessions > 0,
                _ => sessions > 0,
            };
        }
    }

    private void Deliver(BackplaneMessage message) => receiver?.Receive(message);
}
