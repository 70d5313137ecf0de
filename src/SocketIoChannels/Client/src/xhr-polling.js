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

