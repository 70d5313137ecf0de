namespace SocketIoChannels.Events;

/// <summary>The name of each <see cref="SocketIoEvent"/> in traces (the <c>socketio.event</c> tag and the activity's
/// display name): lower case, one per event.</summary>
internal static class SocketIoEventNames
{
    public static string TagValue(SocketIoEvent @event) => @event switch
    {
        SocketIoEvent.Connect => "connect",
        SocketIoEvent.Message => "message",
        SocketIoEvent.Subscribe => "subscribe",
        SocketIoEvent.Unsubscribe => "unsubscribe",
        SocketIoEvent.Error => "error",
        SocketIoEvent.Disconnect => "disconnect",
        SocketIoEvent.Finish => "finish",
        SocketIoEvent.Event => "event",
        _ => @event.ToString().ToLowerInvariant(),
    };
}
