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

