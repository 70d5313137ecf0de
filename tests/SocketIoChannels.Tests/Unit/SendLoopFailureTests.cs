using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Diagnostics;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Tests.Unit;

/// <summary>
/// A WebSocket's send loop that fails for a reason other than the connection going away (a defect: here a framing
/// whose send throws <see cref="InvalidOperationException"/>) does not leave the connection open with no writer,
/// which would keep its client waiting for ever: the connection is cut off, so the client comes back, event 107
/// says what broke at Error, and the frames it was sending stay queued, in order, for the resumed connection.
/// </summary>
public sealed class SendLoopFailureTests
{
    private static readonly SocketIoRequest Request = TestRequests.Local();

    [Fact]
    public async Task ASendLoopThatFailsCutsItsConnectionOffLogsAnErrorAndKeepsTheFramesQueued()
    {
        var timings = new SessionTimings(TimeProvider.System, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SocketIoMetrics(services.GetRequiredService<IMeterFactory>());
        var store = new SessionStore(timings, metrics, NullLogger<SessionStore>.Instance);
        var session = store.Create("websocket", Request); // its first frame, the session id, is queued
        Assert.True(session.TryEnqueue(Encoding.UTF8.GetBytes("~m~5~m~hello")));
        var logs = new LogCollector();
        var framing = new FailingFraming();
        var request = new TransportRequest
        {
            Session = session,
            Tail = ReadOnlyMemory<char>.Empty,
            TransportName = "websocket",
            Context = new DefaultHttpContext(),
            SessionStarter = NoSessionStarter.Instance,
            MaxMessageSize = 1024,
            Snapshot = _ => Request,
            Metrics = metrics,
        };

        // Ends once the receive loop ends, which only the cut-off makes it do here.
        await WebSocketConnection.RunAsync(framing, session, request, logs.CreateLogger("SocketIoChannels.Transports.WebSocketTransport")).DefaultTimeout();

        Assert.Equal(1, framing.Sends);
        Assert.True(framing.Aborted);
        var failed = Assert.Single(logs.Entries, e => e.EventId.Id == 107);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Contains(session.Id, failed.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failed.Exception);

        // The session lives on (its close timeout is 30 s) with both frames still queued, in order.
        Assert.True(session.IsAlive);
        Assert.True(session.Outbound.TryRead(out var first));
        Assert.Contains(session.Id, Encoding.UTF8.GetString(first), StringComparison.Ordinal);
        Assert.True(session.Outbound.TryRead(out var second));
        Assert.Equal("~m~5~m~hello", Encoding.UTF8.GetString(second));
        Assert.False(session.Outbound.TryRead(out _));
        session.End(SessionEndReason.Normal);
    }

    /// <summary>A framing whose send throws, as a defect would; its receive waits until the connection is cut off.</summary>
    private sealed class FailingFraming : IWebSocketReceiver<bool>
    {
        private readonly TaskCompletionSource<bool> cutOff = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Sends { get; private set; }

        public bool Aborted => cutOff.Task.IsCompleted;

        public string Name => "websocket";

        public string DescribeClose(WebSocketCloseStatus status) => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);

        public ValueTask SendAsync(ReadOnlyMemory<byte[]> frames, int length)
        {
            Sends++;
            throw new InvalidOperationException("A defect in the send path.");
        }

        public ValueTask SendCloseAsync(WebSocketCloseStatus status, string description) => ValueTask.CompletedTask;

        public ValueTask DrainAsync() => ValueTask.CompletedTask;

        public void Abort() => cutOff.TrySetResult(true);

        public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => new(cutOff.Task.WaitAsync(cancellationToken));

        public async ValueTask<WebSocketInbound> ReceiveAsync(ValueTask<bool> waited, CancellationToken cancellationToken)
        {
            try
            {
                await waited;
            }
            catch (OperationCanceledException)
            {
            }

            return WebSocketInbound.Ended("the connection was cut off");
        }
    }
}
