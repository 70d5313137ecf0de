/*!
 * SocketIoChannels browser client: a Socket.IO 0.6 wire-protocol client with django-socketio channels.
 * Copyright (c) SocketIoChannels contributors. Licensed under the BSD-2-Clause license.
 *
 * Written from scratch for SocketIoChannels (django-socketio for ASP.NET Core). It is a plain ES5 script
 * that defines the global `io`: `var socket = new io.Socket(); socket.connect(); socket.subscribe('room');`.
 * Payloads are `~m~LEN~m~DATA` frames (LEN in UTF-16 code units), `~j~` marks JSON, `~h~N` is a heartbeat,
 * and the first frame received on a transport is the session id.
 *
 * Its options, methods, events and differences from the Socket.IO 0.6 client are documented in docs/client.md of
 * the SocketIoChannels repository; the wire protocol in docs/protocol-0.6.md.
 */
(function (window, document) {
  'use strict';

  var io = {};
  io.version = '0.6-SocketIoChannels';
  io.JSONP = [];                      // jsonp-polling instances; the server answers io.JSONP[i]._("payload")
  io.setPath = function () {};        // 0.6 API, only used for the Flash socket; kept so old pages still run

  var hasOwn = Object.prototype.hasOwnProperty;
  var SUBSCRIBE = '__subscribe__', UNSUBSCRIBE = '__unsubscribe__';

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

  // ---------------------------------------------------------------------------------------------------
  // Defaults: the page location, then the URL and data-socketio-* attributes of this <script> element.
  // They are read now because document.currentScript only exists while this file runs.

  function defaultPort(secure) { return secure ? 443 : 80; }

  function pageOrigin() {
    var loc = document.location, secure = loc.protocol === 'https:';
    return { host: loc.hostname, port: +loc.port || defaultPort(secure), secure: secure };
  }

  // A null port means the default port of the scheme finally chosen (see the Socket constructor).
  var defaults = (function () {
    var loc = document.location, script = document.currentScript, m, value;
    var d = { host: loc.hostname, port: +loc.port || null, secure: loc.protocol === 'https:', resource: 'socket.io' };
    if (!script) return d;
    // e.g. http://h:9000/app/socket.io/socket.io.js -> host h, port 9000, secure false, resource app/socket.io
    m = /^(?:([a-z][a-z0-9+.\-]*):)?\/\/(\[[^\]]*\]|[^\/:?#]*)(?::(\d*))?([^?#]*)/i.exec(script.src || '');
    if (m && /\/socket\.io\.js$/.test(m[4])) {
      d.secure = m[1] ? m[1].toLowerCase() === 'https' : d.secure;
      d.host = m[2];
      d.port = +m[3] || null;
      value = m[4].slice(1, -'/socket.io.js'.length);
      if (value) d.resource = value;
    }
    if ((value = script.getAttribute('data-socketio-host'))) d.host = value;
    if ((value = script.getAttribute('data-socketio-secure')) !== null) d.secure = !/^(false|0|no|off)$/i.test(value);
    if ((value = script.getAttribute('data-socketio-port'))) d.port = +value;
    if ((value = script.getAttribute('data-socketio-resource'))) d.resource = value;
    return d;
  })();

  function readCookie(name) {
    var m = new RegExp('(?:^|;\\s*)' + name + '=([^;]*)').exec(document.cookie || '');
    return m ? decodeURIComponent(m[1]) : null;
  }

  function rethrow(error) {
    setTimeout(function () { throw error; }, 0);
  }

  function extend(target, source) {
    for (var key in source) if (hasOwn.call(source, key)) target[key] = source[key];
    return target;
  }

  function inherit(Child, Parent) {
    function F() {}
    F.prototype = Parent.prototype;
    Child.prototype = new F();
    Child.prototype.constructor = Child;
  }

  // ---------------------------------------------------------------------------------------------------
  // Socket

  function Socket(host, options) {
    if (host && typeof host === 'object') { options = host; host = null; }
    options = options || {};
    var o = this.options = extend({
      host: defaults.host,
      port: defaults.port,
      secure: defaults.secure,
      resource: defaults.resource,
      transports: ['websocket', 'xhr-polling', 'jsonp-polling'],
      rememberTransport: false,   // 0.6 defaulted to true, which pinned a page to one transport via a cookie
      connectTimeout: 5000,       // ms for the session id to arrive before the next transport is tried
      reconnect: true,
      reconnectionDelay: 500,     // first retry delay in ms, doubled for each further attempt
      maxReconnectionAttempts: 10
    }, options);
    o.transportOptions = {
      'websocket': extend({ timeout: 15000 }, (options.transportOptions || {}).websocket),
      'xhr-polling': extend({ timeout: 25000 }, (options.transportOptions || {})['xhr-polling']),
      'jsonp-polling': extend({ timeout: 25000 }, (options.transportOptions || {})['jsonp-polling'])
    };
    if (host) o.host = host;
    o.port = +o.port || defaultPort(o.secure);
    o.resource = String(o.resource).replace(/^\/+|\/+$/g, '');
    this.host = o.host;
    this.connected = false;
    this.connecting = false;
    this.reconnecting = false;
    this.transport = null;
    this._events = {};
    this._queue = [];      // {data, op, channel} written while not connected, sent in order on connect
    this._channels = [];   // channels of the current (or last) server session, in subscription order
    this._stopped = false;
  }

  // Events ------------------------------------------------------------------------------------------

  Socket.prototype.on = function (name, fn) {
    (this._events[name] || (this._events[name] = [])).push(fn);
    return this;
  };

  Socket.prototype.once = function (name, fn) {
    var self = this;
    function once() {
      self.removeEvent(name, once);
      return fn.apply(this, arguments);
    }
    once.listener = fn;
    return this.on(name, once);
  };

  Socket.prototype.removeEvent = function (name, fn) {
    var list = this._events[name], i;
    if (!list) return this;
    if (!fn) { delete this._events[name]; return this; }
    for (i = list.length - 1; i >= 0; i--) {
      if (list[i] === fn || list[i].listener === fn) {
        list.splice(i, 1);
        break;
      }
    }
    return this;
  };

  Socket.prototype.addEvent = Socket.prototype.addListener = Socket.prototype.addEventListener = Socket.prototype.on;
  Socket.prototype.removeListener = Socket.prototype.removeEventListener = Socket.prototype.removeEvent;

  // A throwing listener must not leave the socket half-way through a state change: report it later.
  Socket.prototype._emit = function (name) {
    var list = (this._events[name] || []).slice(), args = Array.prototype.slice.call(arguments, 1), i;
    for (i = 0; i < list.length; i++) {
      try { list[i].apply(this, args); } catch (e) { rethrow(e); }
    }
  };

  // Public methods ------------------------------------------------------------------------------------

  Socket.prototype.connect = function (fn) {
    if (fn) this.once('connect', fn);
    if (this.connected || this.connecting) return this;
    this._stopped = false;
    this._stopReconnecting();
    this._start(this._transportList());
    return this;
  };

  Socket.prototype.send = function (data) {
    return this._write({ data: frame(encodeValue(data)) });
  };

  // The two frames go in one payload: the server reads the channel from the frame after the marker.
  Socket.prototype.subscribe = function (channel) {
    return this._write({ data: channelFrames(SUBSCRIBE, channel), op: SUBSCRIBE, channel: String(channel) });
  };

  Socket.prototype.unsubscribe = function (channel) {
    return this._write({ data: channelFrames(UNSUBSCRIBE, channel), op: UNSUBSCRIBE, channel: String(channel) });
  };

  Socket.prototype.disconnect = function () {
    var transport = this.transport, wasConnected = this.connected;
    this._stopped = true;
    this._stopReconnecting();
    clearTimeout(this._connectTimer);
    this.connected = this.connecting = false;
    if (transport) transport.close();
    if (wasConnected) this._emit('disconnect');
    return this;
  };

  // Internals -----------------------------------------------------------------------------------------

  Socket.prototype._write = function (item) {
    if (this.connected) {
      this._track(item);
      this.transport.send(item.data);
    } else {
      this._queue.push(item);
    }
    return this;
  };

  Socket.prototype._track = function (item) {
    var i = this._channels.indexOf(item.channel);
    if (item.op === SUBSCRIBE && i < 0) this._channels.push(item.channel);
    if (item.op === UNSUBSCRIBE && i >= 0) this._channels.splice(i, 1);
  };

  Socket.prototype._transportList = function () {
    var list = this.options.transports.slice(), remembered, i;
    if (this.options.rememberTransport && (remembered = readCookie('socketio')) && (i = list.indexOf(remembered)) > 0) {
      list.splice(i, 1);
      list.unshift(remembered);
    }
    return list;
  };

  Socket.prototype._isXDomain = function () {
    var page = pageOrigin(), o = this.options;
    return String(o.host).toLowerCase() !== String(page.host).toLowerCase() || +o.port !== page.port || !!o.secure !== page.secure;
  };

  Socket.prototype._start = function (types) {
    this._candidates = types.slice();
    this._next();
  };

  // Opens the first usable transport left in _candidates; each has connectTimeout to deliver the session id.
  Socket.prototype._next = function () {
    var self = this, type, transport;
    do {
      type = this._candidates.shift();
    } while (type !== undefined && !(hasOwn.call(io.Transport, type) && io.Transport[type].check(this)));
    if (type === undefined) {
      this.connecting = false;
      if (this.reconnecting) this._scheduleReconnect(); else this._emit('connect_failed');
      return;
    }
    transport = this.transport = new io.Transport[type](this);
    this.connecting = true;
    this._emit('connecting', type);
    if (this.transport !== transport || !this.connecting) return;   // a listener called disconnect()
    this._connectTimer = setTimeout(function () { self._onFail(transport); }, this.options.connectTimeout);
    transport.connect();
  };

  // The transport timed out or closed before the session id arrived: try the next one.
  Socket.prototype._onFail = function (transport) {
    if (transport !== this.transport || !this.connecting) return;
    clearTimeout(this._connectTimer);
    transport.close();
    this._next();
  };

  // Called by a transport when the session id arrived.
  Socket.prototype._onOpen = function (transport) {
    var payload = '', queue = this._queue, wasReconnecting = this.reconnecting, attempts = this._attempts, i;
    if (transport !== this.transport) return;
    clearTimeout(this._connectTimer);
    this.connecting = false;
    this.connected = true;
    this.reconnecting = false;
    if (this.options.rememberTransport) document.cookie = 'socketio=' + encodeURIComponent(transport.type);
    // A new server session starts in no channel: join again the ones of the last session, then send
    // whatever was written while not connected, in order.
    for (i = 0; i < this._channels.length; i++) payload += channelFrames(SUBSCRIBE, this._channels[i]);
    this._queue = [];
    for (i = 0; i < queue.length; i++) {
      this._track(queue[i]);
      payload += queue[i].data;
    }
    if (payload) transport.send(payload);
    this._emit('connect');
    if (wasReconnecting && this.connected && this.transport === transport) this._emit('reconnect', transport.type, attempts);
  };

  Socket.prototype._onMessage = function (transport, data) {
    if (transport === this.transport && this.connected) this._emit('message', data);
  };

  // Called by a transport when it closed by itself (network error, timeout, server gone).
  Socket.prototype._onClose = function (transport) {
    if (transport !== this.transport) return;
    if (this.connecting) return this._onFail(transport);
    if (!this.connected) return;
    this.connected = false;
    this._emit('disconnect');
    if (this.options.reconnect && !this._stopped && !this.connected && !this.connecting && this.transport === transport) {
      this.reconnecting = true;
      this._attempts = 0;
      this._lastType = transport.type;
      this._scheduleReconnect();
    }
  };

  // Attempt k waits reconnectionDelay * 2^(k-1) and retries the transport that last worked; the last
  // allowed attempt tries every configured transport, in case that one no longer works at all.
  Socket.prototype._scheduleReconnect = function () {
    var self = this, delay, types;
    if (this._attempts >= this.options.maxReconnectionAttempts) {
      this.reconnecting = false;
      this._emit('reconnect_failed');
      return;
    }
    delay = this.options.reconnectionDelay * Math.pow(2, this._attempts);
    this._attempts++;
    types = this._attempts < this.options.maxReconnectionAttempts ? [this._lastType] : this._transportList();
    this._emit('reconnecting', delay, this._attempts);
    if (!this.reconnecting) return;   // a listener called disconnect() or connect()
    this._reconnectTimer = setTimeout(function () {
      self._reconnectTimer = null;
      self._start(types);
    }, delay);
  };

  Socket.prototype._stopReconnecting = function () {
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    this.reconnecting = false;
  };

  io.Socket = Socket;

  // ---------------------------------------------------------------------------------------------------
  // Transports. Each one: connect(), send(payload), close() (silent), and calls socket._onOpen,
  // _onMessage and _onClose. The transport timeout restarts with every payload received.

  function Transport(socket, type) {
    var o = socket.options;
    this.socket = socket;
    this.type = type;
    this.sessionid = null;
    this._dead = false;
    this._timeout = (o.transportOptions[type] || {}).timeout || 15000;
    this._url = (o.secure ? 'https' : 'http') + '://' + o.host + ':' + o.port + '/' + o.resource + '/' + type;
  }

  Transport.prototype._onData = function (payload) {
    var self = this, messages, i;
    if (this._dead) return;
    clearTimeout(this._timer);
    this._timer = setTimeout(function () { self._onClose(); }, this._timeout);
    messages = decode(payload);
    for (i = 0; i < messages.length && !this._dead; i++) this._onMessage(messages[i]);
  };

  Transport.prototype._onMessage = function (message) {
    var kind = message.substr(0, 3), value;
    if (this.sessionid === null) {
      this.sessionid = message;
      this.socket._onOpen(this);
    } else if (kind === '~h~') {
      this.send(frame(message));   // echo the heartbeat as it came
    } else if (kind === '~j~') {
      try { value = JSON.parse(message.substr(3)); } catch (e) { return; }   // bad JSON: drop that message only
      this.socket._onMessage(this, value);
    } else {
      this.socket._onMessage(this, message);
    }
  };

  Transport.prototype._onClose = function () {
    if (this._dead) return;
    this.close();
    this.socket._onClose(this);
  };

  Transport.prototype.close = function () {
    if (this._dead) return;
    this._dead = true;
    this.sessionid = null;
    clearTimeout(this._timer);
    this._close();
  };

  // websocket: ws[s]://host:port/RESOURCE/websocket, one text message per send. ------------------------

  function WebSocketTransport(socket) {
    Transport.call(this, socket, 'websocket');
  }
  inherit(WebSocketTransport, Transport);
  WebSocketTransport.check = function () { return !!window.WebSocket; };

  WebSocketTransport.prototype.connect = function () {
    var self = this, ws;
    try {
      ws = this._ws = new window.WebSocket(this._url.replace(/^http/, 'ws'));
    } catch (e) {   // e.g. ws:// from an https page
      setTimeout(function () { self._onClose(); }, 0);
      return;
    }
    ws.onmessage = function (event) { if (typeof event.data === 'string') self._onData(event.data); };
    ws.onclose = function () { self._onClose(); };
    ws.onerror = function () {};   // a close event follows
  };

  WebSocketTransport.prototype.send = function (payload) {
    if (!this._dead && this._ws && this._ws.readyState === 1) this._ws.send(payload);
  };

  WebSocketTransport.prototype._close = function () {
    var ws = this._ws;
    if (!ws) return;
    ws.onmessage = ws.onclose = ws.onerror = null;
    try { ws.close(); } catch (e) {}
  };

  // xhr-polling: GET .../xhr-polling/<sid>/<ts> in a loop (empty sid first); POST .../xhr-polling/<sid>/send.

  function request(method, url, body, done) {
    var xhr = new window.XMLHttpRequest();
    xhr.open(method, url, true);
    if (body !== null) xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8');
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      xhr.onreadystatechange = function () {};
      done(xhr.status, xhr.responseText);
    };
    try {
      xhr.send(body);
    } catch (e) {
      xhr.onreadystatechange = function () {};
      setTimeout(function () { done(0, ''); }, 0);
    }
    return xhr;
  }

  function abort(xhr) {
    if (!xhr) return;
    xhr.onreadystatechange = function () {};
    try { xhr.abort(); } catch (e) {}
  }

  function XHRPolling(socket, type) {
    Transport.call(this, socket, type || 'xhr-polling');
    this._buffer = '';      // frames waiting for the POST in flight to finish
    this._posting = false;
  }
  inherit(XHRPolling, Transport);
  XHRPolling.check = function (socket) {
    return !!window.XMLHttpRequest && (!socket._isXDomain() || 'withCredentials' in new window.XMLHttpRequest());
  };

  XHRPolling.prototype.connect = function () { this._get(); };

  XHRPolling.prototype._get = function () {
    var self = this;
    this._getXhr = request('GET', this._url + '/' + (this.sessionid || '') + '/' + (+new Date()), null, function (status, text) {
      self._getXhr = null;
      if (self._dead) return;
      if (status !== 200) return self._onClose();
      self._onData(text);   // an empty body is the server's "nothing yet"
      if (!self._dead) self._get();
    });
  };

  // At most one POST in flight; what is sent meanwhile goes in the next one.
  XHRPolling.prototype.send = function (payload) {
    if (this._dead) return;
    this._buffer += payload;
    if (!this._posting) this._post();
  };

  XHRPolling.prototype._post = function () {
    var self = this, payload = this._buffer;
    this._buffer = '';
    this._posting = true;
    this._postXhr = request('POST', this._postUrl(), 'data=' + encodeURIComponent(wellFormed(payload)), function (status) {
      self._posted(status === 200);
    });
  };

  XHRPolling.prototype._posted = function (ok) {
    this._postXhr = null;
    this._posting = false;
    if (this._dead) return;
    if (!ok) return this._onClose();
    if (this._buffer) this._post();
  };

  XHRPolling.prototype._postUrl = function () { return this._url + '/' + this.sessionid + '/send'; };

  XHRPolling.prototype._close = function () {
    abort(this._getXhr);
    abort(this._postXhr);
    this._getXhr = this._postXhr = null;
  };

  // jsonp-polling: GET with a <script> .../jsonp-polling/<sid>/<ts>/<i>, answered by io.JSONP[i]._("payload");
  // POST to .../jsonp-polling/<sid>/<ts>/<i>, with XHR on the same origin, else with a form into an iframe.

  function JSONPPolling(socket) {
    XHRPolling.call(this, socket, 'jsonp-polling');
    this._index = io.JSONP.length;
    io.JSONP.push(this);
  }
  inherit(JSONPPolling, XHRPolling);
  JSONPPolling.check = function () { return !!document.createElement; };

  // A pending <script> delays the page's load event, and a poll is held for up to 20 s: start after load.
  JSONPPolling.prototype.connect = function () {
    var self = this;
    if (document.readyState === 'complete' || !window.addEventListener) return this._get();
    window.addEventListener('load', function () { if (!self._dead) self._get(); }, false);
  };

  JSONPPolling.prototype._get = function () {
    var self = this, script = this._script = document.createElement('script');
    script.async = true;
    script.src = this._url + '/' + (this.sessionid || '') + '/' + (+new Date()) + '/' + this._index;
    script.onerror = function () { self._removeScript(script); self._onClose(); };
    // Loaded but never called io.JSONP[i]._: not an answer this client understands.
    script.onload = function () { if (self._script === script) { self._removeScript(script); self._onClose(); } };
    (document.getElementsByTagName('head')[0] || document.documentElement).appendChild(script);
  };

  JSONPPolling.prototype._removeScript = function (script) {
    script.onload = script.onerror = null;
    if (script.parentNode) script.parentNode.removeChild(script);
    if (this._script === script) this._script = null;
  };

  // Called by the server's answer script.
  JSONPPolling.prototype._ = function (payload) {
    if (this._script) this._removeScript(this._script);
    if (this._dead) return;
    this._onData(payload);
    if (!this._dead) this._get();
  };

  JSONPPolling.prototype._postUrl = function () {
    return this._url + '/' + this.sessionid + '/' + (+new Date()) + '/' + this._index;
  };

  JSONPPolling.prototype._post = function () {
    if (!this.socket._isXDomain()) return XHRPolling.prototype._post.call(this);
    var self = this, payload = this._buffer, form = this._form, name = 'socketio_jsonp_' + this._index + '_' + (+new Date()), iframe;
    this._buffer = '';
    this._posting = true;
    if (!form) {
      form = this._form = document.createElement('form');
      this._area = document.createElement('textarea');
      this._area.name = 'data';
      form.method = 'POST';
      form.setAttribute('accept-charset', 'utf-8');
      form.style.cssText = 'position:absolute;top:-1000px;left:-1000px;width:1px;height:1px;visibility:hidden';
      form.appendChild(this._area);
      document.body.appendChild(form);
    }
    iframe = this._iframe = document.createElement('iframe');
    iframe.name = name;
    form.appendChild(iframe);
    iframe.onload = function () {
      // Skip the load of the initial about:blank document; the POST answer comes from the server.
      try { if (iframe.contentWindow.location.href === 'about:blank') return; } catch (e) {}
      iframe.onload = null;
      setTimeout(function () { if (iframe.parentNode) iframe.parentNode.removeChild(iframe); }, 0);
      self._posted(true);   // the answer's status cannot be read cross-origin
    };
    form.target = name;
    form.action = this._postUrl();
    this._area.value = crlfSafe(payload);
    form.submit();
  };

  // A form post turns every line break into CRLF. Frame the text with LF line breaks, like the 0.6
  // client did, so a server that maps CRLF back to LF for jsonp posts gets exactly the framed lengths.
  function crlfSafe(payload) {
    if (payload.indexOf('\r') < 0) return payload;
    var messages = decode(payload), out = '', i;
    for (i = 0; i < messages.length; i++) out += frame(messages[i].replace(/\r\n?/g, '\n'));
    return out;
  }

  JSONPPolling.prototype._close = function () {
    XHRPolling.prototype._close.call(this);
    if (this._script) this._removeScript(this._script);
    if (this._form && this._form.parentNode) this._form.parentNode.removeChild(this._form);
    this._form = this._iframe = null;
  };

  io.Transport = {
    'websocket': WebSocketTransport,
    'xhr-polling': XHRPolling,
    'jsonp-polling': JSONPPolling
  };

  window.io = io;
})(window, document);
