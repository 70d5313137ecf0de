namespace SocketIoChannels.Server;

/// <summary>What the session loop takes from the options (built in the DI setup, so the loop does not depend on
/// the hosting layer's options type).</summary>
/// <param name="CloseSessionOnHandlerError">End the session (reason error) after a handler threw.</param>
internal sealed record SessionLoopSettings(bool CloseSessionOnHandlerError);
