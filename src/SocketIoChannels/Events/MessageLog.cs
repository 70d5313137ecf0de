using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Events;

/// <summary>
/// The per-message log line of django-socketio (<c>SOCKETIO_MESSAGE_LOG_FORMAT</c>), written after the handlers of
/// each inbound message, subscribe and unsubscribe. The format is parsed once; an unknown key renders empty.
/// </summary>
internal sealed partial class MessageLog
{
    public const string Category = "SocketIoChannels.MessageLog";

    private readonly Segment[]? segments;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;

    public MessageLog(string? format, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        logger = loggerFactory.CreateLogger(Category);
        this.timeProvider = timeProvider;
        segments = string.IsNullOrEmpty(format) ? null : Parse(format);
    }

    public void Write(SocketIoRequest request, string type, JToken? message, string? channel)
    {
        if (segments is null || !logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        LogLine(Render(request, type, message, channel));
    }

    internal string Render(SocketIoRequest request, string type, JToken? message, string? channel)
    {
        var text = new StringBuilder();
        foreach (var segment in segments ?? [])
        {
            text.Append(segment.Key is null ? segment.Literal : Value(segment.Key, request, type, message, channel));
        }

        return text.ToString();
    }

    private string? Value(string key, SocketIoRequest request, string type, JToken? message, string? channel)
    {
        switch (key)
        {
            case "REMOTE_ADDR": return request.RemoteIpAddress?.ToString();
            case "REQUEST_METHOD": return request.Method;
            case "PATH_INFO": return request.Path;
            case "QUERY_STRING": return request.QueryString.StartsWith('?') ? request.QueryString[1..] : request.QueryString;
            case "TIME": return timeProvider.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            case "TYPE": return type;
            case "MESSAGE":
                return channel ?? message switch
                {
                    JValue { Type: JTokenType.String } value => (string)value.Value!,
                    null => string.Empty,
                    var token => token.ToString(Newtonsoft.Json.Formatting.None),
                };
        }

        if (key.StartsWith("HTTP_", StringComparison.Ordinal))
        {
            var header = key[5..].Replace('_', '-');
            return request.Headers.TryGetValue(header, out var value) ? value : null;
        }

        return null;
    }

    private static Segment[] Parse(string format)
    {
        var result = new List<Segment>();
        var position = 0;
        while (position < format.Length)
        {
            var open = format.IndexOf('{', position);
            var close = open < 0 ? -1 : format.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                result.Add(new Segment(format[position..], null));
                break;
            }

            if (open > position)
            {
                result.Add(new Segment(format[position..open], null));
            }

            result.Add(new Segment(string.Empty, format[(open + 1)..close].Trim()));
            position = close + 1;
        }

        return [.. result];
    }

    [LoggerMessage(310, LogLevel.Information, "{Line}")]
    private partial void LogLine(string line);

    private readonly record struct Segment(string Literal, string? Key);
}
