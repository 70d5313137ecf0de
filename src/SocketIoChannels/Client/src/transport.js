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

