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

