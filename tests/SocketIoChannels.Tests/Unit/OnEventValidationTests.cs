using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Events;

namespace SocketIoChannels.Tests.Unit;

/// <summary>OnEvent handlers and namespaces are checked at startup, with a message naming the handler.</summary>
public sealed class OnEventValidationTests
{
    private static HandlerRegistry Build<T>()
    {
        var provider = new ServiceCollection().BuildServiceProvider();
        var sources = new HandlerSources();
        sources.Types.Add(typeof(T));
        return new HandlerRegistry(sources, provider.GetService<IServiceProviderIsService>());
    }

    public sealed class MessageAsEvent
    {
        [OnEvent("message")]
        public static void Message()
        {
        }
    }

    public sealed class ReservedEvent
    {
        [OnEvent("disconnect")]
        public static void Gone()
        {
        }
    }

    [SocketIoNamespace("admin")]
    public sealed class NamespaceWithoutSlash
    {
        [OnEvent("x")]
        public static void X()
        {
        }
    }

    [SocketIoNamespace("/admin")]
    public sealed class Admin
    {
        [OnEvent("x")]
        public static int X(int a, string b, byte[] c, SocketIoAck? ack, ISocket socket) => a;
    }

    [SocketIoNamespace("/empty")]
    public sealed class EmptyNamespace
    {
    }

    [Fact]
    public void OnEventMessageIsRefusedPointingToOnMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<MessageAsEvent>());
        Assert.Contains("use [OnMessage]", error.Message, StringComparison.Ordinal);
        Assert.Contains("MessageAsEvent.Message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReservedEventNameIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<ReservedEvent>());
        Assert.Contains("a name socket.io reserves", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANamespaceMustStartWithASlash()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<NamespaceWithoutSlash>());
        Assert.Contains("must start with '/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclaredNamespacesAreServedEvenWithoutHandlersAndHandlersStayInTheirs()
    {
        var admin = Build<Admin>();
        Assert.True(admin.HasNamespace("/"));
        Assert.True(admin.HasNamespace("/admin"));
        Assert.False(admin.HasNamespace("/other"));
        Assert.Single(admin.ForEvent("/admin", "x"));
        Assert.Empty(admin.ForEvent("/", "x"));

        Assert.True(Build<EmptyNamespace>().HasNamespace("/empty"));
    }
}
