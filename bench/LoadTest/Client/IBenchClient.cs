namespace SocketIoChannels.LoadTest.Client;

/// <summary>One simulated user of one server.</summary>
internal interface IBenchClient : IAsyncDisposable
{
    /// <summary>Connects and joins the bench group/channel.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Sends one message (echo scenario).</summary>
    ValueTask SendAsync(string text);
}
