  // ---------------------------------------------------------------------------------------------------
  // Wire format

  function frame(message) {
    return '~m~' + message.length + '~m~' + message;
  }

  // One value to the text of one message: strings as they are, anything else as ~j~JSON.
  function encodeValue(value) {
    if (typeof value === 'string') return value;
    var json = JSON.stringify(value === undefined ? null : value);
    return '~j~' + (json === undefined ? 'null' : json);   // functions and the like become null
  }

  // A payload to the list of its message texts. On bad framing the rest of the payload is dropped.
  function decode(payload) {
    var messages = [], i = 0, n, c, start, length;
    payload = payload == null ? '' : String(payload);
    while (i < payload.length && payload.substr(i, 3) === '~m~') {
      for (n = i + 3; n < payload.length && (c = payload.charCodeAt(n)) >= 48 && c <= 57; n++) {}
      if (n === i + 3 || payload.substr(n, 3) !== '~m~') break;
      length = parseInt(payload.substring(i + 3, n), 10);
      start = n + 3;
      if (start + length > payload.length) break;
      messages.push(payload.substr(start, length));
      i = start + length;
    }
    return messages;
  }

  function channelFrames(marker, channel) {
    return frame(marker) + frame(String(channel));
  }

  // encodeURIComponent throws on a lone surrogate; U+FFFD keeps the UTF-16 length (and so LEN) intact.
  function wellFormed(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return text;
    var out = '', i, c, d;
    for (i = 0; i < text.length; i++) {
      c = text.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length && (d = text.charCodeAt(i + 1)) >= 0xDC00 && d <= 0xDFFF) {
        out += text.charAt(i) + text.charAt(++i);
      } else {
        out += c >= 0xD800 && c <= 0xDFFF ? '\uFFFD' : text.charAt(i);
      }
    }
    return out;
  }

  io.util = {
    frame: frame,                                          // message text -> one frame
    encode: function (value) { return frame(encodeValue(value)); },  // value -> one frame, as send() does
    decode: decode                                         // payload -> message texts (~j~/~h~ not parsed)
  };

