namespace SocketIoChannels.LoadTest.Client;

/// <summary>Before a v5 scenario: does the server answer an Engine.IO 4 polling handshake? SocketIoChannels speaks
/// only Socket.IO 0.6 until Engine.IO 4 support lands; then the same scenarios run against it unchanged.</summary>
internal static class EngineIoProbe
{
    /// <summary>Throws <see cref="NotSupportedException"/> with what the server answered when it is not an
    /// Engine.IO 4 open packet; otherwise closes the probe's session at once.</summary>
    public static async Task CheckAsync(HttpClient http, Uri server, string kind, CancellationToken cancellationToken)
    {
        var handshake = new Uri(server, "/socket.io/?EIO=4&transport=polling");
        using var response = await http.GetAsync(handshake, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var first = body.Split(V5Packet.RecordSeparator)[0];
        if (!response.IsSuccessStatusCode || !first.StartsWith("0{", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"{kind} does not speak Engine.IO 4 / Socket.IO 5 yet: GET /socket.io/?EIO=4&transport=polling answered {(int)response.StatusCode} \"{first[..Math.Min(first.Length, 60)]}\"");
        }

        V5Packet.Decode(first, out var sid);
        using var close = new StringContent("1");
        using var closed = await http.PostAsync(new Uri(handshake + "&sid=" + Uri.EscapeDataString(sid!)), close, cancellationToken).ConfigureAwait(false);
    }
}
