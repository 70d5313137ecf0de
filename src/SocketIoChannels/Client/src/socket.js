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

