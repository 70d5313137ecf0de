using SocketIoChannels.Protocol;

namespace SocketIoChannels.Tests.Unit;

public sealed class ClientCommandParserTests
{
    private static (List<InboundCommand> Commands, List<string>? Problems) Parse(string payload)
    {
        var frames = new List<InboundFrame>();
        FrameCodec.TryDecode(payload, frames, out _);
        var commands = new List<InboundCommand>();
        return (commands, ClientCommandParser.Parse(frames, commands));
    }

    [Fact]
    public void SubscribeIsTwoFramesOfOnePayload()
    {
        var (commands, problems) = Parse("~m~13~m~__subscribe__~m~6~m~room-1~m~2~m~hi~m~15~m~__unsubscribe__~m~6~m~room-1");

        Assert.Null(problems);
        Assert.Equal(
            [(InboundCommandKind.Subscribe, "room-1"), (InboundCommandKind.Message, null), (InboundCommandKind.Unsubscribe, "room-1")],
            commands.Select(c => (c.Kind, c.Channel)));
        Assert.Equal("hi", commands[1].Message!.ToString());
    }

    [Fact]
    public void ALoneSubscribeMarkerIsAProblemNotAMessage()
    {
        var (commands, problems) = Parse("~m~2~m~hi~m~13~m~__subscribe__");

        Assert.Single(commands);
        Assert.Contains("__subscribe__", Assert.Single(problems!));
    }

    [Fact]
    public void SubscribingBeforeConnectWithThe06ClientArrivesAsAPlainMessage()
    {
        // The 0.6 client stringifies queued arrays: ['__subscribe__','room-1'] becomes one frame.
        var (commands, _) = Parse("~m~20~m~__subscribe__,room-1");

        Assert.Equal(InboundCommandKind.Message, Assert.Single(commands).Kind);
    }

    [Fact]
    public void ArrayMarkerWrapsTheNextValue()
    {
        var (commands, _) = Parse("~m~9~m~__array__~m~3~m~a,b");

        Assert.Equal("a,b", Assert.Single(commands).Message!.ToString());
    }

    [Fact]
    public void HeartbeatsAnywhereDoNotStopLaterFrames()
    {
        var (commands, _) = Parse("~m~1~m~a~m~4~m~~h~1~m~1~m~b");

        Assert.Equal(["a", "b"], commands.Select(c => c.Message!.ToString()));
    }

    [Fact]
    public void InvalidJsonIsSkippedAndTheRestIsKept()
    {
        var (commands, problems) = Parse("~m~5~m~~j~{x~m~1~m~b");

        Assert.Equal("b", Assert.Single(commands).Message!.ToString());
        Assert.Single(problems!);
    }
}
