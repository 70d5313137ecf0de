using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIoChannels.StackExchangeRedis;

/// <summary>The node's one connection to Redis: created with the forced settings, its loss and return logged,
/// and <see cref="Restored"/> raised when it is back (Redis may have restarted empty).</summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ILogger logger;
    private IConnectionMultiplexer? multiplexer;

    private RedisConnection(IConnectionMultiplexer multiplexer, ILogger logger)
    {
        this.multiplexer = multiplexer;
        this.logger = logger;
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>Raised after the connection came back.</summary>
    public event Action? Restored;

    public bool IsConnected => multiplexer?.IsConnected == true;

    public IDatabase Database => Live.GetDatabase();

    public ISubscriber Subscriber => Live.GetSubscriber();

    private IConnectionMultiplexer Live => multiplexer ?? throw new ObjectDisposedException(nameof(RedisConnection));

    public static async Task<RedisConnection> ConnectAsync(RedisBackplaneOptions options, string nodeId, ILogger logger, CancellationToken cancellationToken)
    {
        var configuration = options.Configuration.Clone();
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        var multiplexer = options.ConnectionFactory is { } factory
            ? await factory(configuration).WaitAsync(cancellationToken).ConfigureAwait(false)
            : await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = new RedisConnection(multiplexer, logger);
        if (multiplexer.IsConnected)
        {
            connection.LogConnected(nodeId, configuration.ToString(includePassword: false));
        }
        else
        {
            connection.LogStartedDisconnected(nodeId, configuration.ToString(includePassword: false));
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref multiplexer, null) is { } owned)
        {
            owned.ConnectionFailed -= OnConnectionFailed;
            owned.ConnectionRestored -= OnConnectionRestored;
            await owned.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            owned.Dispose();
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            LogConnectionLost(e.EndPoint?.ToString(), e.FailureType, e.Exception?.Message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            LogConnectionRestored(e.EndPoint?.ToString());
        }

        Restored?.Invoke();
    }

    [LoggerMessage(501, LogLevel.Warning, "Lost the Redis backplane connection to {EndPoint} ({FailureType}): sends reach this server's sessions only until it is back. {Reason}")]
    private partial void LogConnectionLost(string? endPoint, ConnectionFailureType failureType, string? reason);

    [LoggerMessage(502, LogLevel.Information, "The Redis backplane connection to {EndPoint} is back; subscriptions and presence are restored.")]
    private partial void LogConnectionRestored(string? endPoint);

    [LoggerMessage(506, LogLevel.Information, "Redis backplane connected as node {NodeId} ({Configuration}).")]
    private partial void LogConnected(string nodeId, string configuration);

    [LoggerMessage(507, LogLevel.Warning, "Redis is unreachable at startup ({Configuration}); node {NodeId} serves its own sessions and keeps trying to connect.")]
    private partial void LogStartedDisconnected(string nodeId, string configuration);
}
