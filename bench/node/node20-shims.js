'use strict';
// What socket.io 0.6.18 (2011, node 0.4) needs to load and run on Node 20, and nothing more:
// - process.EventEmitter was removed in node 7; 0.6.18 calls process.EventEmitter.call(this) and
//   util.inherits(X, process.EventEmitter) in Listener and Client.
// Everything else it uses still exists in Node 20 (with deprecation warnings, silenced below): process.binding
// ('natives'), req.connection, net.Socket#readyState, new Buffer(), url.parse, util.log (not used: log is off).
process.EventEmitter = require('events').EventEmitter;
process.noDeprecation = true;
