using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace SocketIoChannels.LoadTest.Client;

/// <summary>The SignalR client package's HubConnection: joins the bench group; messages arrive as <c>m(text)</c>.
/// Over WebSockets it skips negotiation and uses a counting socket from the shared connector.</summary>
internal sealed class SignalRBenchClient : IBenchClient
{
    private readonly HubConnection connection;

    public SignalRBenchClient(Connector connector, Uri hubUri, bool longPolling, Action<string> onMessage)
    {
        connection = new HubConnectionBuilder()
            .WithUrl(hubUri, longPolling ? HttpTransportType.LongPolling : HttpTransportType.WebSockets, options =>
            {
                if (!longPolling)
                {
                    options.SkipNegotiation = true;
                    options.WebSocketFactory = async (context, token) => await connector.ConnectWebSocketAsync(context.Uri, token).ConfigureAwait(false);
                }
                else
                {
                    // Long polling: count the answers to its polls (GETs), as the Socket.IO polling clients do.
                    options.HttpMessageHandlerFactory = inner => new PollCountingHandler { InnerHandler = inner };
                }
            })
            .Build();
        connection.On<string>("m", onMessage);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        await connection.InvokeAsync("Join", "bench", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask SendAsync(string text) => new(connection.SendAsync("Echo", text));

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
