namespace Chat;

/// <summary>
/// Where the room page gets socket.io-client 4.8 when it runs on Socket.IO 5 (<c>?client=v5</c>): jsDelivr's copy
/// of the npm package, one of the CDNs socket.io's client installation guide names, pinned to a version with its
/// Subresource Integrity hash, so the browser runs exactly the file npm publishes or nothing. SocketIoChannels does
/// not ship third-party code; set <see cref="UrlKey"/> to serve the file yourself (for example
/// <c>--Chat:SocketIoClientUrl=/lib/socket.io.min.js</c> after copying <c>dist/socket.io.min.js</c> of
/// <c>npm install socket.io-client@4.8</c> to wwwroot/lib); the hash is then not checked.
/// </summary>
public static class SocketIoClientCdn
{
    /// <summary>The configuration key of another address for the client script.</summary>
    public const string UrlKey = "Chat:SocketIoClientUrl";

    /// <summary>The npm version of socket.io-client the page pins (the version the browser tests run).</summary>
    public const string Version = "4.8.4";

    /// <summary>dist/socket.io.min.js of socket.io-client@4.8.4 on jsDelivr (the file of the npm package, unchanged).</summary>
    public const string Url = "https://cdn.jsdelivr.net/npm/socket.io-client@" + Version + "/dist/socket.io.min.js";

    /// <summary>sha384 of that file, for the script tag's <c>integrity</c>.</summary>
    public const string Integrity = "sha384-fBrXvbDtHoeKWJ/hcA6M+YGueiDW+h45I7V6F2kD1S8bOkrF9rZYPLVkCR6BLR/1";
}
