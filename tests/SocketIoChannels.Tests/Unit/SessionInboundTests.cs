using SocketIoChannels.Protocol;
using SocketIoChannels.Sessions;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Payloads through <c>Session.ReceiveAsync</c> to the session loop's queue: each payload arrives whole and
/// in order, and a refused payload leaves nothing behind (the decoding lists are reused between payloads).</summary>
public sealed class SessionInboundTests
{
    private static readonly SocketIoRequest Request = TestRequests.Local();

    [Fact]
    public async Task EachPayloadReachesTheLoopWholeAndInOrder()
    {
        var session = NewSession();
        var many = string.Concat(Enumerable.Range(0, 100).Select(i => Frame("m" + i)));

        Assert.Null(await session.ReceiveAsync(Frame("a"), normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        Assert.Null(await session.ReceiveAsync(Frame("b") + Frame("~h~1") + Frame("c"), normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        Assert.Null(await session.ReceiveAsync(Frame("~h~1"), normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        Assert.Null(await session.ReceiveAsync(many, normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        Assert.Null(await session.ReceiveAsync(Frame("__subscribe__") + Frame("room-1"), normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        Assert.Null(await session.ReceiveAsync(Frame("d"), normalizeNewlines: false, CancellationToken.None).DefaultTimeout());

        List<List<string>> expected = [["a"], ["b", "c"], [.. Enumerable.Range(0, 100).Select(i => "m" + i)], ["subscribe:room-1"], ["d"]];
        Assert.Equal(expected, ReadBatches(session));
    }

    [Fact]
    public async Task ARefusedPayloadLeavesNothingForTheNextPayload()
    {
        var session = NewSession();

        var refused = await Assert.ThrowsAsync<InvalidPayloadException>(() =>
            session.ReceiveAsync(Frame("a") + Frame("~j~{"), normalizeNewlines: false, CancellationToken.None).AsTask()).DefaultTimeout();
        Assert.Null(await session.ReceiveAsync(Frame("b"), normalizeNewlines: false, CancellationToken.None).DefaultTimeout());

        Assert.Contains("invalid JSON", refused.Message, StringComparison.Ordinal);
        List<List<string>> expected = [["b"]];
        Assert.Equal(expected, ReadBatches(session));
    }

    [Fact]
    public async Task TheInboundQueueIsBoundedBySizeAndTheClientWaitsForRoom()
    {
        var session = NewSession(maxInboundChars: 1000);
        var big = Frame(new string('x', 590)); // 599 characters

        Assert.Null(await session.ReceiveAsync(big, normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        var second = session.ReceiveAsync(big, normalizeNewlines: false, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted); // 1,198 characters would wait: this client's receive waits instead

        Assert.True(session.Inbound.TryRead(out var first));
        Assert.Equal(big.Length, first.Size);
        Assert.Null(await second.DefaultTimeout());

        // One payload larger than the bound still goes into an empty queue.
        Assert.True(session.Inbound.TryRead(out _));
        var huge = Frame(new string('y', 5000));
        Assert.Null(await session.ReceiveAsync(huge, normalizeNewlines: false, CancellationToken.None).DefaultTimeout());
        Assert.Equal(["y"], ReadBatches(session).Select(b => b[0][..1]));
    }

    private static string Frame(string text) => "~m~" + text.Length + "~m~" + text;

    private static List<List<string>> ReadBatches(Session session)
    {
        var batches = new List<List<string>>();
        while (session.Inbound.TryRead(out var batch))
        {
            var commands = new List<string>();
            foreach (var command in batch)
            {
                commands.Add(command.Kind == InboundCommandKind.Message ? command.Message!.ToString() : command.Kind.ToString().ToLowerInvariant() + ":" + command.Channel);
            }

            Assert.Equal(batch.Count, commands.Count);
            batches.Add(commands);
        }

        return batches;
    }

    private static Session NewSession(int maxInboundChars = SessionTimings.DefaultMaxInboundChars)
    {
        var second = TimeSpan.FromSeconds(1);
        var timings = new SessionTimings(TimeProvider.System, 100, second, second, second, second, TimeSpan.Zero) { MaxInboundChars = maxInboundChars };
        return new Session("0123456789abcdef0123456789abcdef", "websocket", Request, timings, new NoOwner(), timings.Now());
    }

    private sealed class NoOwner : ISessionOwner
    {
        public void OnEnded(Session session)
        {
        }

        public void OnSlowConsumer(Session session)
        {
        }
    }
}
