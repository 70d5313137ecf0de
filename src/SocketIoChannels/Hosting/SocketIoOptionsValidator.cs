using Microsoft.Extensions.Options;

namespace SocketIoChannels.Hosting;

/// <summary>Checks <see cref="SocketIoOptions"/> at startup, naming each wrong setting.</summary>
internal sealed class SocketIoOptionsValidator : IValidateOptions<SocketIoOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketIoOptions options)
    {
        var failures = new List<string>();
        var resource = options.Resource?.Trim('/');
        if (string.IsNullOrEmpty(resource))
        {
            failures.Add("SocketIo:Resource must name a path, e.g. \"socket.io\".");
        }
        else if (resource.Split('/').Any(segment => segment.Length == 0 || segment is "." or ".."))
        {
            failures.Add($"SocketIo:Resource \"{options.Resource}\" has an empty, '.' or '..' segment.");
        }

        if (options.MaxQueuedFrames < 1)
        {
            failures.Add($"SocketIo:MaxQueuedFrames must be at least 1 (was {options.MaxQueuedFrames}).");
        }

        if (options.MaxMessageSize < 64)
        {
            failures.Add($"SocketIo:MaxMessageSize must be at least 64 bytes (was {options.MaxMessageSize}).");
        }

        if (options.MaxMessageSize > int.MaxValue / 2)
        {
            failures.Add($"SocketIo:MaxMessageSize must be at most {int.MaxValue / 2} bytes (was {options.MaxMessageSize}).");
        }

        if (options.MaxQueuedInboundBytes is < 64 or > int.MaxValue / 2)
        {
            failures.Add($"SocketIo:MaxQueuedInboundBytes must be between 64 and {int.MaxValue / 2} bytes (was {options.MaxQueuedInboundBytes}).");
        }

        AtLeast(options.MaxFramesPerPayload, 2, nameof(options.MaxFramesPerPayload), failures);
        AtLeast(options.MaxChannelNameLength, 1, nameof(options.MaxChannelNameLength), failures);
        AtLeast(options.MaxChannelsPerSession, 1, nameof(options.MaxChannelsPerSession), failures);
        foreach (var origin in options.AllowedOrigins)
        {
            if (origin != "*" && !OriginPolicy.TryNormalize(origin, out _))
            {
                failures.Add($"SocketIo:AllowedOrigins entry \"{origin}\" is not \"*\" or an origin such as \"https://example.com\" or \"http://localhost:5000\" (scheme, host and optional port; no path).");
            }
        }

        Positive(options.HeartbeatInterval, nameof(options.HeartbeatInterval), failures);
        Positive(options.HeartbeatTimeout, nameof(options.HeartbeatTimeout), failures);
        Positive(options.PollDuration, nameof(options.PollDuration), failures);
        Positive(options.PollingCloseTimeout, nameof(options.PollingCloseTimeout), failures);
        Positive(options.PingInterval, nameof(options.PingInterval), failures);
        Positive(options.PingTimeout, nameof(options.PingTimeout), failures);
        Positive(options.ConnectTimeout, nameof(options.ConnectTimeout), failures);
        if (string.IsNullOrEmpty(options.SubscribeEventName) || string.IsNullOrEmpty(options.UnsubscribeEventName))
        {
            failures.Add("SocketIo:SubscribeEventName and SocketIo:UnsubscribeEventName must name events (e.g. \"subscribe\", \"unsubscribe\").");
        }
        else if (options.SubscribeEventName == options.UnsubscribeEventName || options.SubscribeEventName == "message" || options.UnsubscribeEventName == "message")
        {
            failures.Add($"SocketIo:SubscribeEventName (\"{options.SubscribeEventName}\") and SocketIo:UnsubscribeEventName (\"{options.UnsubscribeEventName}\") must differ from each other and from \"message\".");
        }

        if (options.ConnectionStateRecovery is not { } recovery)
        {
            failures.Add("SocketIo:ConnectionStateRecovery must not be null (set MaxDisconnectionDuration to zero to turn recovery off).");
        }
        else
        {
            if (recovery.MaxDisconnectionDuration < TimeSpan.Zero)
            {
                failures.Add($"SocketIo:ConnectionStateRecovery:MaxDisconnectionDuration must not be negative (was {recovery.MaxDisconnectionDuration}); zero turns recovery off.");
            }

            if (recovery.MaxRecordedSends < 1)
            {
                failures.Add($"SocketIo:ConnectionStateRecovery:MaxRecordedSends must be at least 1 (was {recovery.MaxRecordedSends}).");
            }
        }

        if (options.WebSocketCloseTimeout < TimeSpan.Zero)
        {
            failures.Add($"SocketIo:WebSocketCloseTimeout must not be negative (was {options.WebSocketCloseTimeout}).");
        }

        if (options.FlashPolicyPort is < 1 or > 65535)
        {
            failures.Add($"SocketIo:FlashPolicyPort must be a TCP port from 1 to 65535, or unset (was {options.FlashPolicyPort}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeast(int value, int minimum, string name, List<string> failures)
    {
        if (value < minimum)
        {
            failures.Add($"SocketIo:{name} must be at least {minimum} (was {value}).");
        }
    }

    private static void Positive(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"SocketIo:{name} must be positive (was {value}).");
        }
    }
}
