namespace SocketIoChannels.Sessions;

/// <summary>The tag value of each <see cref="SessionEndReason"/> in metrics
/// (<c>socketio.session.close_reason</c>): the snake_case of its name.</summary>
internal static class SessionEndReasonNames
{
    public static string TagValue(SessionEndReason reason) => reason switch
    {
        SessionEndReason.Normal => "normal",
        SessionEndReason.Timeout => "timeout",
        SessionEndReason.SlowConsumer => "slow_consumer",
        SessionEndReason.AppShutdown => "app_shutdown",
        SessionEndReason.Error => "error",
        SessionEndReason.Kicked => "kicked",
        _ => "unknown",
    };
}
