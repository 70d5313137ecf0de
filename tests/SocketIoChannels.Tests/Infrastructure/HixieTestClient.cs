using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SocketIoChannels.Tests.Infrastructure;

/// <summary>
/// A raw hixie-76 or hixie-75 WebSocket client (Flash's web-socket-js, 2010 browsers) over a TCP socket: the
/// handshake by hand, the 16-byte challenge answer checked against this client's own MD5, then <c>0x00</c> text
/// <c>0xFF</c> frames.
/// </summary>
public sealed class HixieTestClient : SocketIoTestClient
{
    private RawHttpConnection? connection;
    private Task? receiving;

    public HixieTestClient(Uri server, bool draft76, string transportName = "websocket") : base(server)
    {
        Draft76 = draft76;
        Transport = transportName;
    }

    public bool Draft76 { get; }

    public override string Transport { get; }

    /// <summary>The keys of the handshake; random ones unless a test sets them.</summary>
    public (string Key1, string Key2, byte[] Key3)? Keys { get; set; }

    /// <summary>The head of the 101 answer.</summary>
    public RawHttpResponseHead? Head { get; private set; }

    /// <summary>The 16 bytes the server answered the challenge with (hixie-76).</summary>
    public byte[]? ChallengeAnswer { get; private set; }

    /// <summary>Whether the server sent the close frame <c>0xFF 0x00</c>.</summary>
    public bool CloseFrameReceived { get; private set; }

    protected override async Task OpenAsync(string? resumeSessionId)
    {
        connection = await RawHttpConnection.OpenAsync(Server);
        var host = connection.HostHeader(Server);
        var path = $"/{Resource}/{Transport}" + (resumeSessionId is null ? string.Empty : "/" + resumeSessionId);
        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nHost: {host}\r\nOrigin: http://{host}\r\n");
        var (key1, key2, key3) = Keys ?? (NewKey(out _), NewKey(out _), RandomNumberGenerator.GetBytes(8));
        if (Draft76)
        {
            request.Append("Sec-WebSocket-Key1: ").Append(key1).Append("\r\nSec-WebSocket-Key2: ").Append(key2).Append("\r\n");
        }

        await connection.WriteAsync(request.Append("\r\n").ToString());
        if (Draft76)
        {
            await connection.WriteAsync(key3);
        }

        Head = await connection.ReadHeadAsync();
        if (Head.StatusCode != 101)
        {
            throw new InvalidOperationException("not upgraded: " + Head.StatusLine);
        }

        if (Draft76)
        {
            ChallengeAnswer = await connection.ReadExactlyAsync(16);
            var expected = ExpectedAnswer(key1, key2, key3);
            if (!ChallengeAnswer.AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException("wrong challenge answer: " + Convert.ToHexString(ChallengeAnswer));
            }
        }

        receiving = ReceiveLoopAsync(connection);
    }

    /// <summary>The answer computed as the draft says: MD5 of key1's and key2's numbers (digits / spaces, 32-bit
    /// big-endian) and key3.</summary>
    public static byte[] ExpectedAnswer(string key1, string key2, byte[] key3)
    {
        var challenge = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(challenge, KeyNumber(key1));
        BinaryPrimitives.WriteUInt32BigEndian(challenge.AsSpan(4), KeyNumber(key2));
        key3.CopyTo(challenge, 8);
        return MD5.HashData(challenge);
    }

    private static uint KeyNumber(string key) =>
        (uint)(ulong.Parse(new string([.. key.Where(char.IsAsciiDigit)]), CultureInfo.InvariantCulture) / (ulong)key.Count(c => c == ' '));

    /// <summary>A key as a browser makes one: a number times 1–12 spaces, with the spaces and a few letters mixed
    /// in.</summary>
    public static string NewKey(out uint number)
    {
        var spaces = Random.Shared.Next(1, 13);
        number = (uint)Random.Shared.NextInt64(0, uint.MaxValue / spaces);
        var key = new StringBuilder(((ulong)number * (ulong)spaces).ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < spaces; i++)
        {
            key.Insert(Random.Shared.Next(1, key.Length), ' ');
        }

        for (var i = 0; i < 3; i++)
        {
            key.Insert(Random.Shared.Next(0, key.Length + 1), (char)Random.Shared.Next('a', 'z' + 1));
        }

        return key.ToString();
    }

    private async Task ReceiveLoopAsync(RawHttpConnection raw)
    {
        try
        {
            var frame = new MemoryStream();
            while (true)
            {
                var type = await raw.ReadByteAsync(Timeout.InfiniteTimeSpan);
                if (type < 0)
                {
                    OnClosed("connection closed");
                    return;
                }

                if (type == 0xFF && await raw.ReadByteAsync() == 0x00)
                {
                    CloseFrameReceived = true;
                    OnClosed("close frame");
                    return;
                }

                if (type != 0x00)
                {
                    OnClosed($"bad frame type 0x{type:X2}");
                    return;
                }

                frame.SetLength(0);
                int b;
                while ((b = await raw.ReadByteAsync(Timeout.InfiniteTimeSpan)) is not (0xFF or -1))
                {
                    frame.WriteByte((byte)b);
                }

                if (b < 0)
                {
                    OnClosed("connection closed inside a frame");
                    return;
                }

                OnPayload(Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length));
            }
        }
        catch (Exception exception)
        {
            OnClosed("connection lost: " + exception.Message);
        }
    }

    public override Task SendPayloadAsync(string payload)
    {
        var text = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[text.Length + 2];
        text.CopyTo(frame, 1);
        frame[^1] = 0xFF;
        return SendRawAsync(frame);
    }

    /// <summary>Writes raw bytes (for malformed input tests).</summary>
    public Task SendRawAsync(byte[] bytes) => connection!.WriteAsync(bytes);

    /// <summary>Sends the closing handshake <c>0xFF 0x00</c>.</summary>
    public Task CloseAsync() => SendRawAsync([0xFF, 0x00]);

    /// <summary>Drops the connection without a closing handshake.</summary>
    public async Task DropAsync()
    {
        connection?.Drop();
        await Closed.DefaultTimeout();
    }

    public override async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (receiving is not null)
        {
            await receiving.DefaultTimeout();
        }
    }
}
