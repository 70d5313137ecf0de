namespace SocketIoChannels.LoadTest.Servers;

/// <summary>What the publisher broadcasts through: one implementation per server.</summary>
internal interface IFanoutTarget
{
    /// <summary>Subscribers of the bench group now.</summary>
    int Subscribers { get; }

    ValueTask BroadcastAsync(string payload);
}
