namespace SocketIoChannels.Sessions;

/// <summary>The transport rules of an Engine.IO session (docs/protocol-v5.md §1.3, §1.5): one POST at a time, and the
/// upgrade from polling to a WebSocket.</summary>
internal sealed partial class EngineIoSession
{
    /// <summary>Marks the start of a POST; <see langword="false"/> (and the session ends) when one is in flight.</summary>
    public bool BeginPost()
    {
        lock (gate)
        {
            if (!postInFlight)
            {
                postInFlight = true;
                return true;
            }
        }

        End(SessionEndReason.Error);
        return false;
    }

    public void EndPost()
    {
        lock (gate)
        {
            postInFlight = false;
        }
    }

    /// <summary>Whether a polling GET is attached (held).</summary>
    public bool IsPollHeld
    {
        get
        {
            lock (gate)
            {
                return outbox.Lease is { IsPoll: true };
            }
        }
    }

    /// <summary>Whether polling requests are refused: the session lives on its WebSocket.</summary>
    public bool IsUpgraded
    {
        get
        {
            lock (gate)
            {
                return upgrade == UpgradeState.Upgraded;
            }
        }
    }

    /// <summary>A WebSocket with this sid claims the upgrade; <see langword="false"/> when one already did (or the
    /// session started on a WebSocket): that one is closed.</summary>
    public bool TryBeginUpgrade()
    {
        lock (gate)
        {
            if (state != 0 || upgrade != UpgradeState.None)
            {
                return false;
            }

            upgrade = UpgradeState.Probing;
            return true;
        }
    }

    /// <summary>The probe was answered (<c>3probe</c>): a held GET is answered with a noop so the client can pause
    /// polling (docs/protocol-v5.md §1.5). The noop takes its place in the queue, so nothing is reordered.</summary>
    public void ProbeAnswered() => outbox.Queue.TryWrite(NoopPacket);

    /// <summary>The client sent the upgrade (<c>5</c>): from now on the session lives on the WebSocket, which attaches
    /// next, and polling requests are refused.</summary>
    public void CompleteUpgrade()
    {
        lock (gate)
        {
            upgrade = UpgradeState.Upgraded;
            TransportName = WebSocketTransportName;
        }
    }

    /// <summary>The upgrading WebSocket failed before the upgrade: the session goes on polling.</summary>
    public void AbandonUpgrade()
    {
        lock (gate)
        {
            if (upgrade == UpgradeState.Probing)
            {
                upgrade = UpgradeState.None;
            }
        }
    }
}
