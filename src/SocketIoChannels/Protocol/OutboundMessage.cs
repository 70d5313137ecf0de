using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// One send (a message, an event, an ack), encoded at most once per protocol in use however many sessions it goes
/// to: <see cref="Frame06"/> for Socket.IO 0.6 sessions, <see cref="PacketsV5"/> for Socket.IO 5 sockets of one
/// namespace. Each form is built on first use; concurrent first uses may build it twice, never differently.
/// </summary>
internal sealed class OutboundMessage
{
    private readonly object? value;
    private byte[]? frame06;
    private byte[][]? rootPackets; // namespace "/": the common case, kept without a lookup

    private OutboundMessage(object? value, byte[]? frame06)
    {
        this.value = value;
        this.frame06 = frame06;
    }

    /// <summary>A message (django-socketio <c>send</c>): a 0.6 frame, or the Socket.IO 5 event <c>"message"</c>.</summary>
    public static OutboundMessage ForMessage(object? value) => new(value, null);

    /// <summary>The 0.6 frame, encoded on first use.</summary>
    public byte[] Frame06 => frame06 ??= FrameCodec.EncodeFrame(value);

    /// <summary>The Engine.IO packets of this send for a socket in <paramref name="nsp"/>, in queue form (see
    /// <see cref="EngineIoCodec.QueuedText"/>): one text packet, then the binary attachments, if any.</summary>
    public byte[][] PacketsV5(string nsp)
    {
        if (nsp == SocketIoPacketCodec.DefaultNamespace)
        {
            return rootPackets ??= EncodeV5(nsp);
        }

        return EncodeV5(nsp);
    }

    private byte[][] EncodeV5(string nsp)
    {
        var data = new JArray("message", value is null ? JValue.CreateNull() : JToken.FromObject(value));
        var text = SocketIoPacketCodec.Encode(SocketIoPacketType.Event, nsp, null, data.ToString(Formatting.None));
        return [EngineIoCodec.QueuedText(EngineIoPacketType.Message, text)];
    }
}
