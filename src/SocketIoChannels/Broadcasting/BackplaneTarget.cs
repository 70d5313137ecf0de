namespace SocketIoChannels;

/// <summary>Who a <see cref="BackplaneMessage"/> is for.</summary>
public enum BackplaneTarget
{
    /// <summary>Every session of every node.</summary>
    All = 0,

    /// <summary>Every session subscribed to <see cref="BackplaneMessage.Channel"/>.</summary>
    Channel = 1,

    /// <summary>The session <see cref="BackplaneMessage.SessionId"/> on node <see cref="BackplaneMessage.NodeId"/>.</summary>
    Session = 2,
}
