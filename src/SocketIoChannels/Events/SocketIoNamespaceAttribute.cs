namespace SocketIoChannels;

/// <summary>
/// Makes the handlers of a class serve the Socket.IO 5 namespace <see cref="Name"/> (for example <c>/admin</c>):
/// they run for the sockets connected to it, and only for them. Classes without it serve the default namespace
/// <c>/</c>, where every 0.6 session lives. A namespace that no class declares is refused with CONNECT_ERROR
/// "Invalid namespace". Channels are per namespace.
/// </summary>
/// <remarks>socket.io: <c>io.of("/admin").on("connection", ...)</c>; django-socketio had no namespaces.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SocketIoNamespaceAttribute : Attribute
{
    /// <summary>Declares the namespace the class's handlers serve.</summary>
    /// <param name="name">The namespace, starting with <c>/</c>.</param>
    /// <remarks>socket.io: <c>io.of(name)</c>.</remarks>
    public SocketIoNamespaceAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The namespace, for example <c>/admin</c>.</summary>
    /// <remarks>socket.io: <c>namespace.name</c>.</remarks>
    public string Name { get; }
}
