using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// Turns the decoded frames of one payload into client commands. The channel extension of django-socketio
/// is two consecutive frames of the same payload: <c>__subscribe__</c> (or <c>__unsubscribe__</c>) and the channel;
/// <c>__array__</c> followed by a value is the original client's wrapping of arrays.
/// </summary>
internal static class ClientCommandParser
{
    public const string SubscribeMarker = "__subscribe__";
    public const string UnsubscribeMarker = "__unsubscribe__";
    public const string ArrayMarker = "__array__";

    /// <summary>Appends the commands of <paramref name="frames"/> (heartbeats excluded) to
    /// <paramref name="commands"/>. Returns the problems found (invalid JSON, a marker without its value), or
    /// <see langword="null"/>; frames with a problem are skipped and the others still count.</summary>
    public static List<string>? Parse(List<InboundFrame> frames, List<InboundCommand> commands)
    {
        List<string>? problems = null;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            switch (frame.Kind)
            {
                case FrameKind.Heartbeat:
                    continue;
                case FrameKind.Json:
                {
                    var token = FrameCodec.TryParseJson(frame.Text, out var error);
                    if (token is null)
                    {
                        (problems ??= []).Add("invalid JSON in a ~j~ frame: " + error);
                    }
                    else if (token is JValue { Value: SubscribeMarker or UnsubscribeMarker or ArrayMarker } marker)
                    {
                        // ~j~"__subscribe__" decodes to the same string as the plain frame: the original saw no
                        // difference.
                        i = ParseMarker((string)marker.Value!, frames, i, commands, ref problems);
                    }
                    else
                    {
                        commands.Add(InboundCommand.ForMessage(token));
                    }

                    continue;
                }
            }

            var text = frame.Text;
            if (text is SubscribeMarker or UnsubscribeMarker or ArrayMarker)
            {
                i = ParseMarker(text, frames, i, commands, ref problems);
                continue;
            }

            commands.Add(InboundCommand.ForMessage(new JValue(text)));
        }

        return problems;
    }

    /// <summary>A marker frame at <paramref name="i"/> and the value it announces; returns the index of the last
    /// frame used.</summary>
    private static int ParseMarker(string text, List<InboundFrame> frames, int i, List<InboundCommand> commands, ref List<string>? problems)
    {
        var kind = text switch
        {
            SubscribeMarker => InboundCommandKind.Subscribe,
            UnsubscribeMarker => InboundCommandKind.Unsubscribe,
            _ => (InboundCommandKind?)null,
        };

        var next = NextDataFrame(frames, ref i);
        if (next is null)
        {
            (problems ??= []).Add(text + " is the last frame of its payload: the value it announces is missing");
            return i;
        }

        if (kind is null)
        {
            var token = next.Value.Kind == FrameKind.Json ? FrameCodec.TryParseJson(next.Value.Text, out _) : new JValue(next.Value.Text);
            if (token is null)
            {
                (problems ??= []).Add("invalid JSON after __array__");
            }
            else
            {
                commands.Add(InboundCommand.ForMessage(token));
            }

            return i;
        }

        var channel = next.Value.Kind == FrameKind.Text ? next.Value.Text : JsonChannelName(next.Value.Text);
        if (channel is null)
        {
            (problems ??= []).Add(text + " must be followed by a channel name, not invalid JSON");
            return i;
        }

        commands.Add(new InboundCommand(kind.Value, null, channel));
        return i;
    }

    private static InboundFrame? NextDataFrame(List<InboundFrame> frames, ref int index)
    {
        while (index + 1 < frames.Count)
        {
            index++;
            if (frames[index].Kind != FrameKind.Heartbeat)
            {
                return frames[index];
            }
        }

        return null;
    }

    // Our client sends non-string values as JSON: the channel is named as the page names it, by JavaScript's String().
    private static string? JsonChannelName(string json) =>
        FrameCodec.TryParseJson(json, out _) is { } token ? JavaScriptString.From(token) : null;
}
