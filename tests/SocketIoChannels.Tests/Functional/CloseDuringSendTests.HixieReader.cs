using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace SocketIoChannels.Tests.Functional;

/// <summary>The hixie reader of <see cref="CloseDuringSendTests"/>.</summary>
public sealed partial class CloseDuringSendTests
{
    /// <summary>Reads a hixie connection: the 101 head, then <c>0x00</c> text <c>0xFF</c> frames until the close
    /// frame or the end of the stream.</summary>
    private sealed class HixieReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        public bool CloseFrameReceived { get; private set; }

        /// <summary>The next text frame, or <see langword="null"/> at the close frame or the end of the
        /// stream.</summary>
        public async Task<string?> ReadFrameAsync()
        {
            var type = await ReadByteAsync();
            if (type == 0xFF && await ReadByteAsync() == 0x00)
            {
                CloseFrameReceived = true;
                return null;
            }

            if (type != 0x00)
            {
                return null;
            }

            using var frame = new MemoryStream();
            while (true)
            {
                if (start == end && !await FillAsync())
                {
                    return null; // cut off in the middle of a frame
                }

                var stop = Array.IndexOf(buffer, (byte)0xFF, start, end - start);
                if (stop >= 0)
                {
                    frame.Write(buffer, start, stop - start);
                    start = stop + 1;
                    return Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length);
                }

                frame.Write(buffer, start, end - start);
                start = end;
            }
        }

        private async Task<int> ReadByteAsync()
        {
            if (start == end && !await FillAsync())
            {
                return -1;
            }

            return buffer[start++];
        }

        private async Task<bool> FillAsync()
        {
            try
            {
                end = await stream.ReadAsync(buffer);
            }
            catch (IOException)
            {
                end = 0;
            }

            start = 0;
            return end > 0;
        }
    }
}
