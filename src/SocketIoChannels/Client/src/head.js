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

