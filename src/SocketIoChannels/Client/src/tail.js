  io.Transport = {
    'websocket': WebSocketTransport,
    'xhr-polling': XHRPolling,
    'jsonp-polling': JSONPPolling
  };

  window.io = io;
})(window, document);
