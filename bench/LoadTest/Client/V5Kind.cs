namespace SocketIoChannels.LoadTest.Client;

/// <summary>What a load client does with one Engine.IO 4 text packet.</summary>
internal enum V5Kind
{
    /// <summary>Nothing to do: a pong, a noop, an event other than "message", an ack.</summary>
    None,

    /// <summary>Engine.IO open (<c>0{"sid":…}</c>): the value is the Engine.IO session id.</summary>
    Open,

    /// <summary>Engine.IO ping (<c>2</c>): answer with a pong (<c>3</c>).</summary>
    Ping,

    /// <summary>Socket.IO connect to the main namespace acknowledged (<c>40{"sid":…}</c>).</summary>
    Connected,

    /// <summary>Socket.IO connect refused (<c>44{…}</c>): the value is the server's data.</summary>
    ConnectError,

    /// <summary>An event <c>42["message", text]</c>: the value is the text.</summary>
    Message,

    /// <summary>Engine.IO close (<c>1</c>) or Socket.IO disconnect (<c>41</c>).</summary>
    Closed,
}
