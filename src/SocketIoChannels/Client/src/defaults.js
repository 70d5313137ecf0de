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

