using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Unit;

/// <summary>
/// The test clients' contract that the property tests rely on (issue 12, "Tests that can be trusted"): a receive
/// that fails because the connection closed fails only once <see cref="SocketIoTestClient.Closed"/> has completed,
/// so <c>catch (...) when (client.Closed.IsCompleted)</c> never misses a close. The fuzz run failed on this race
/// under load ("the connection closed before a message arrived" with the close already under way).
/// </summary>
public sealed class TestClientCloseTests
{
    private sealed class ClosableClient() : SocketIoTestClient(new Uri("http://127.0.0.1:1"))
    {
        public override string Transport => "test";

        public void Close() => OnClosed("closed by the test");

        protected override Task OpenAsync(string? resumeSessionId) => Task.CompletedTask;

        public override Task SendPayloadAsync(string payload) => Task.CompletedTask;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AReceiveEndedByACloseSeesTheCloseCompleted()
    {
        // Many closes from more threads than cores, so that a closing thread is often preempted mid-close.
        var missed = 0;
        await Task.WhenAll(Enumerable.Range(0, Environment.ProcessorCount * 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                var client = new ClosableClient();
                var receive = ReceiveAsync(client);
                client.Close();
                if (!await receive)
                {
                    Interlocked.Increment(ref missed);
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, missed);
    }

    private static async Task<bool> ReceiveAsync(SocketIoTestClient client)
    {
        try
        {
            await client.ReceiveAsync();
            return false;
        }
        catch (InvalidOperationException) when (client.Closed.IsCompleted)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
