namespace SocketIoChannels.LoadTest.Client;

/// <summary>Counts the answered GETs of SignalR's long-polling transport (its polls) in <see cref="WireCounters"/>, so
/// the polling scenario reports deliveries and CPU per poll for SignalR as for the Socket.IO clients.</summary>
internal sealed class PollCountingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Method == HttpMethod.Get && response.IsSuccessStatusCode)
        {
            WireCounters.OnPollAnswer();
        }

        return response;
    }
}
