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
                    else
                    {
                        commands.Add(InboundCommand.ForMessage(token));
                    }

                    continue;
                }
            }

            var text = frame.Text;
            var kind = text switch
            {
                SubscribeMarker => InboundCommandKind.Subscribe,
                UnsubscribeMarker => InboundCommandKind.Unsubscribe,
                ArrayMarker => (InboundCommandKind?)null,
                _ => InboundCommandKind.Message,
            };

            if (kind == InboundCommandKind.Message)
            {
                commands.Add(InboundCommand.ForMessage(new JValue(text)));
                continue;
            }

            var next = NextDataFrame(frames, ref i);
            if (next is null)
            {
                (problems ??= []).Add(text + " is the last frame of its payload: the value it announces is missing");
                continue;
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

                continue;
            }

            var channel = next.Value.Kind == FrameKind.Text ? next.Value.Text : JsonChannelName(next.Value.Text);
            if (channel is null)
            {
                (problems ??= []).Add(text + " must be followed by a channel name, not a JSON object or array");
                continue;
            }

            commands.Add(new InboundCommand(kind.Value, null, channel));
        }

        return problems;
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

    // Our client sends non-string values as JSON: a channel given as a number still names a channel.
    private static string? JsonChannelName(string json) =>
        FrameCodec.TryParseJson(json, out _) is JValue { Value: not null } value
            ? Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
