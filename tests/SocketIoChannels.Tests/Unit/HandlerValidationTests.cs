using Microsoft.Extensions.DependencyInjection;
using SocketIoChannels.Events;

namespace SocketIoChannels.Tests.Unit;

public sealed class HandlerValidationTests
{
    private static HandlerRegistry Build<T>(Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        var sources = new HandlerSources();
        sources.Types.Add(typeof(T));
        return new HandlerRegistry(sources, provider.GetService<IServiceProviderIsService>());
    }

    public sealed class ConnectWithChannel
    {
        [OnConnect(Channel = "^room")]
        public void Connect()
        {
        }
    }

    public sealed class UnknownParameter
    {
        [OnSubscribe]
        public void Subscribe(ISocket socket, Uri notAService)
        {
        }
    }

    public sealed class BadReturn
    {
        [OnConnect] // OnMessage and OnEvent may return a value (the acknowledgement); the other events may not
        public int Connect() => 1;
    }

    public sealed class BadPattern
    {
        [OnMessage("([")]
        public void Message()
        {
        }
    }

    public interface IGreeter
    {
    }

    public sealed class Greeter : IGreeter
    {
    }

    public sealed class AllKinds
    {
        [OnMessage(channel: "^room-")]
        public Task Message(string message, ISocket socket, IGreeter greeter, CancellationToken token) => Task.CompletedTask;

        [OnMessage("^a")]
        public ValueTask Typed(Dictionary<string, int> message, IDictionary<string, object?> context, SocketIoRequest request) => ValueTask.CompletedTask;

        [OnMessage(Channel = "^b")]
        public static void Static(Newtonsoft.Json.Linq.JToken message)
        {
        }

        [OnError]
        public void Error(Exception exception)
        {
        }

        [OnSubscribe, OnUnsubscribe]
        public void Channel(string channel)
        {
        }
    }

    [Fact]
    public void OnConnectWithAChannelFailsNamingTheHandler()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<ConnectWithChannel>());

        Assert.Contains("The OnConnect event does not support channels", error.Message);
        Assert.Contains("ConnectWithChannel.Connect", error.Message);
    }

    [Fact]
    public void AParameterThatCannotBeBoundFailsListingWhatIsAccepted()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<UnknownParameter>());

        Assert.Contains("'notAService'", error.Message);
        Assert.Contains("UnknownParameter.Subscribe", error.Message);
        Assert.Contains("ISocket, SocketIoRequest", error.Message);
        Assert.Contains("string (the channel)", error.Message);
    }

    [Fact]
    public void AReturnTypeOtherThanVoidOrTaskFails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<BadReturn>());

        Assert.Contains("returns Int32", error.Message);
    }

    [Fact]
    public void AnInvalidChannelPatternFails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build<BadPattern>());

        Assert.Contains("\"([\"", error.Message);
    }

    [Fact]
    public void EveryAcceptedParameterKindBinds()
    {
        var registry = Build<AllKinds>(services => services.AddSingleton<IGreeter, Greeter>());

        Assert.Equal(3, registry.For(SocketIoEvent.Message).Count);
        Assert.Single(registry.For(SocketIoEvent.Error));
        Assert.Single(registry.For(SocketIoEvent.Subscribe));
        Assert.Single(registry.For(SocketIoEvent.Unsubscribe));
        Assert.Equal(["Message", "Typed", "Static"], registry.For(SocketIoEvent.Message).Select(h => h.Method.Name));
    }

    [Theory]
    [InlineData("dashboard", "dashboard", true)]
    [InlineData("dashboard", "dashboards", true)]
    [InlineData("dashboard", "my-dashboard", false)]
    [InlineData("dashboard$", "dashboards", false)]
    [InlineData("^room-", "room-42", true)]
    [InlineData("a|room", "room-1", true)]
    public void ChannelPatternsMatchFromTheStartOfTheName(string pattern, string channel, bool matches)
    {
        var handler = HandlerMethod.Create(typeof(AllKinds).GetMethod(nameof(AllKinds.Channel))!, new OnSubscribeAttribute(pattern), null);

        Assert.Equal(matches, handler.Channel!.IsMatch(channel));
    }
}
