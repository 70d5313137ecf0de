using Newtonsoft.Json.Linq;

namespace SocketIoChannels.Protocol;

/// <summary>
/// Binary attachments of Socket.IO 5 (docs/protocol-v5.md §2.1): in the JSON of a BINARY_EVENT or BINARY_ACK each
/// buffer is replaced by <c>{"_placeholder":true,"num":N}</c>, and the buffers follow as binary Engine.IO messages in
/// order. Here a buffer is a <see cref="JValue"/> of type <see cref="JTokenType.Bytes"/>.
/// </summary>
internal static class SocketIoBinary
{
    private const string PlaceholderKey = "_placeholder";
    private const string NumberKey = "num";

    /// <summary>
    /// Replaces every placeholder in <paramref name="data"/> with its attachment, in place (the root itself is never a
    /// placeholder: an event or ack payload is an array). Returns <see langword="false"/> when a placeholder is
    /// malformed or names an attachment that does not exist.
    /// </summary>
    public static bool TryReconstruct(JToken data, IReadOnlyList<byte[]> attachments)
    {
        switch (data)
        {
            case JArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (!TryReplace(array[i], attachments, out var replacement))
                    {
                        return false;
                    }

                    if (replacement is not null)
                    {
                        array[i] = replacement;
                    }
                }

                return true;
            case JObject obj:
                foreach (var property in obj.Properties())
                {
                    if (!TryReplace(property.Value, attachments, out var replacement))
                    {
                        return false;
                    }

                    if (replacement is not null)
                    {
                        property.Value = replacement;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static bool TryReplace(JToken token, IReadOnlyList<byte[]> attachments, out JToken? replacement)
    {
        replacement = null;
        if (token is JObject obj && obj.TryGetValue(PlaceholderKey, out var flag) && flag is JValue { Type: JTokenType.Boolean, Value: true })
        {
            if (obj[NumberKey] is JValue { Type: JTokenType.Integer } num && num.Value<long>() is var n && n >= 0 && n < attachments.Count)
            {
                replacement = new JValue(attachments[(int)n]);
                return true;
            }

            return false;
        }

        return TryReconstruct(token, attachments);
    }

    /// <summary>Whether <paramref name="data"/> holds any buffer (and so goes as a binary packet).</summary>
    public static bool HasBinary(JToken? data) => data switch
    {
        JValue { Type: JTokenType.Bytes } => true,
        JContainer container => container.Children().Any(HasBinary),
        _ => false,
    };

    /// <summary>
    /// A copy of <paramref name="data"/> with every buffer replaced by its placeholder, the buffers added to
    /// <paramref name="attachments"/> in placeholder order.
    /// </summary>
    public static JToken Deconstruct(JToken data, List<byte[]> attachments)
    {
        switch (data)
        {
            case JValue { Type: JTokenType.Bytes, Value: byte[] bytes }:
                var placeholder = new JObject { [PlaceholderKey] = true, [NumberKey] = attachments.Count };
                attachments.Add(bytes);
                return placeholder;
            case JArray array:
                var copy = new JArray();
                foreach (var item in array)
                {
                    copy.Add(Deconstruct(item, attachments));
                }

                return copy;
            case JObject obj:
                var objectCopy = new JObject();
                foreach (var property in obj.Properties())
                {
                    objectCopy[property.Name] = Deconstruct(property.Value, attachments);
                }

                return objectCopy;
            default:
                return data.DeepClone();
        }
    }
}
