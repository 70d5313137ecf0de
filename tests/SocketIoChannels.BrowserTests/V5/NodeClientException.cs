namespace SocketIoChannels.BrowserTests.V5;

/// <summary>A command the node driver (socket.io-client 4.8) could not carry out, with its error text.</summary>
public sealed class NodeClientException(string message) : Exception(message);
