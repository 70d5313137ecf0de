using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.Infrastructure;

public static class ChannelHelpers
{
    public static string NewChannel(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// POSTs the broadcast until the server has a subscriber for it (a subscription sent by the browser reaches the
    /// server asynchronously), then returns the number of receivers.
    /// </summary>
    public static async Task<int> BroadcastUntilReceivedAsync(this BrowserTestFixture fixture, string channel, JToken message)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var receivers = await fixture.PostBroadcastAsync(channel, message);
            if (receivers > 0)
            {
                return receivers;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No session subscribed to '{channel}' within 15 s: POST /broadcast/{channel} kept answering 0 receivers.");
            }

            await Task.Delay(50).WithTimeout();
        }
    }

    /// <summary>Waits until the server counts <paramref name="expected"/> subscribers of <paramref name="channel"/>.</summary>
    public static async Task WaitForSubscribersAsync(this BrowserTestFixture fixture, string channel, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        int count;
        while ((count = fixture.Broadcaster.CountSubscribers(channel)) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The server counted {count} subscriber(s) of '{channel}' after 15 s, expected {expected}.");
            }

            await Task.Delay(25).WithTimeout();
        }
    }
}
