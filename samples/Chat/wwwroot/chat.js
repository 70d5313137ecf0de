// The room page: the client side of django-socketio's demo (chat.js), without jQuery.
// Protocol: subscribe to room-<id>, send {room, action: 'start', name}, then {room, action: 'message', message}, and
// {room, action: 'leave'} from the Leave button; the server answers in-use / started (users: names, userIds: their
// ids) and sends join, message, leave (with name and id) and system to the room (ChatHandlers.cs). User text only ever reaches the page through textContent.
// ?transport=xhr-polling (or websocket, jsonp-polling) pins the page to one transport.
// ?client=v5: the same chat over Socket.IO 5 with socket.io-client 4.8 (data-client="v5"; ?transport=websocket or
// polling pins it): the same messages, subscribing with socket.emit('subscribe', channel); see Client06/ClientV5.
(function () {
  'use strict';

  var CHAT = document.getElementById('chat');
  var ROOM = Number(CHAT.getAttribute('data-room-id'));
  var CHANNEL = 'room-' + ROOM;
  var V5 = CHAT.getAttribute('data-client') === 'v5';
  var TRANSPORTS = V5 ? ['websocket', 'polling'] : ['websocket', 'xhr-polling', 'jsonp-polling'];
  var pinned = new URLSearchParams(location.search).get('transport');
  var RECONNECT_DELAY = 1000;   // ms after a dropped connection before a new socket is tried
  var REJOIN_ATTEMPTS = 30;     // 'in-use' answers tolerated after a reconnect (our old session may still hold the name)

  var form = document.getElementById('form');
  var input = document.getElementById('text');
  var label = document.getElementById('label');
  var button = document.getElementById('button');
  var leave = document.getElementById('leave');
  var status = document.getElementById('status');
  var messages = document.getElementById('messages');
  var people = document.getElementById('people');
  var userList = document.getElementById('users');

  var socket = null;       // the current io.Socket; events of older ones are ignored
  var name = null;         // the nickname sent with 'start' (kept for reconnecting)
  var myId = null;         // our user id, from 'started'
  var started = false;     // the server accepted our nickname in the current session
  var rejoining = 0;       // > 0 while re-sending 'start' after a reconnect
  var retryTimer = null;
  var leaving = false;     // the Leave button was pressed: waiting for 'left'
  var userItems = {};      // user id -> <li>

  function setStatus(text, offline) {
    status.textContent = text;
    status.className = offline ? 'status offline' : 'status';
  }

  function setChatting(chatting) {
    label.textContent = chatting ? 'Message' : 'Nickname';
    input.placeholder = chatting ? 'Say something' : 'Your nickname';
    input.maxLength = chatting ? 2000 : 20;
    input.value = '';
    button.textContent = chatting ? 'Send' : 'Join';
    people.hidden = !chatting;
  }

  // Lines ------------------------------------------------------------------------------------------------

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function addLine(className, who, text) {
    var atBottom = messages.scrollTop + messages.clientHeight >= messages.scrollHeight - 4;
    var now = new Date();
    var li = document.createElement('li');
    var time = document.createElement('span');
    var nameSpan = document.createElement('span');
    li.className = className;
    time.className = 'time';
    time.textContent = '(' + pad(now.getHours()) + ':' + pad(now.getMinutes()) + ':' + pad(now.getSeconds()) + ') ';
    li.appendChild(time);
    if (who !== null) {
      nameSpan.className = 'name';
      nameSpan.textContent = who + ': ';
      li.appendChild(nameSpan);
    }
    li.appendChild(document.createTextNode(text));
    messages.appendChild(li);
    if (atBottom) messages.scrollTop = messages.scrollHeight;
  }

  // Users ------------------------------------------------------------------------------------------------

  function clearUsers() {
    userItems = {};
    while (userList.firstChild) userList.removeChild(userList.firstChild);
  }

  function addUser(id, who) {
    var li = userItems[id], next = userList.firstChild;
    if (li) return;   // already listed (a join racing with our 'started' list)
    li = userItems[id] = document.createElement('li');
    li.textContent = who;
    if (id === myId) li.className = 'me';
    while (next && next.textContent.localeCompare(who) <= 0) next = next.nextSibling;
    userList.insertBefore(li, next);
  }

  function removeUser(id) {
    var li = userItems[id];
    if (!li) return;
    delete userItems[id];
    li.parentNode.removeChild(li);
  }

  // Socket -----------------------------------------------------------------------------------------------

  // The two clients behind one shape: create a socket (not yet connecting), subscribe to a channel, name the
  // transport in use. Both send messages with socket.send(x) and receive them as 'message'.
  var Client06 = {
    create: function (transports) {
      var options = { reconnect: false };
      if (transports) options.transports = transports;
      return new io.Socket(undefined, options);
    },
    failed: 'connect_failed',
    subscribe: function (s, channel) { s.subscribe(channel); },
    transport: function (s) { return s.transport.type; }
  };
  var ClientV5 = {
    create: function (transports) {
      var options = { reconnection: false, autoConnect: false, forceNew: true };
      if (transports) options.transports = transports;
      return io(options);
    },
    failed: 'connect_error',
    subscribe: function (s, channel) { s.emit('subscribe', channel); },
    transport: function (s) { return s.io.engine.transport.name; }
  };
  var client = V5 ? ClientV5 : Client06;

  function sendStart() {
    socket.send({ room: ROOM, action: 'start', name: name });
  }

  function connect() {
    // Reconnection is ours (as the original demo): a brand-new socket, hence a new server session.
    var s = socket = client.create(TRANSPORTS.indexOf(pinned) >= 0 ? [pinned] : null);
    retryTimer = null;
    setStatus(rejoining ? 'Reconnecting…' : 'Connecting…');
    s.on('connect', function () {
      if (s !== socket) return;
      setStatus('Connected (' + client.transport(s) + ').' + (name === null ? ' Choose a nickname to join.' : ''));
      client.subscribe(s, CHANNEL);
      if (name !== null) sendStart();
    });
    s.on('message', function (data) {
      if (s === socket) receive(data);
    });
    s.on('disconnect', function () {
      if (s === socket) dropped();
    });
    s.on(client.failed, function () {
      if (s === socket) dropped();
    });
    s.connect();
  }

  function dropped() {
    if (started) {
      rejoining = 1;
      clearUsers();   // no longer known: filled again by 'started' after the reconnect
      addLine('notice', null, 'Connection lost, reconnecting…');
    }
    started = false;
    button.disabled = name !== null;
    setStatus('Disconnected. Retrying in 1 s…', true);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, RECONNECT_DELAY);
  }

  function receive(data) {
    if (data === null || typeof data !== 'object') return;
    switch (data.action) {
      case 'no-room':
        button.disabled = true;
        setStatus('This room does not exist any more.', true);
        return;
      case 'left':
        if (leaving === true) goToRooms();
        return;
      case 'in-use':
        if (rejoining && rejoining < REJOIN_ATTEMPTS) {
          // Our previous session may not have ended on the server yet: ask again shortly.
          rejoining++;
          setStatus('Rejoining as ' + name + '…');
          setTimeout(function () { if (socket && socket.connected && !started) sendStart(); }, RECONNECT_DELAY);
          return;
        }
        rejoining = 0;
        name = null;
        setChatting(false);
        button.disabled = false;
        setStatus('That name is in use, please choose another.', true);
        input.focus();
        return;
      case 'started':
        started = true;
        rejoining = 0;
        myId = data.id;
        name = data.name;
        clearUsers();
        // users: the names (as the original demo sends them); userIds: their ids, in the same order.
        (data.users || []).forEach(function (who, i) { addUser((data.userIds || [])[i], who); });
        setChatting(true);
        button.disabled = false;
        setStatus('Connected (' + client.transport(socket) + ') as ' + name + '.');
        input.focus();
        return;
    }
    if (!started) return;
    switch (data.action) {
      case 'join':
        addUser(data.id, data.name);
        addLine('join', data.name, 'joins');
        break;
      case 'leave':
        removeUser(data.id);
        addLine('leave', data.name, 'leaves');
        break;
      case 'message':
        addLine('message', data.name, String(data.message));
        break;
      case 'system':
        addLine('system', 'SYSTEM', String(data.message));
        break;
    }
  }

  setChatting(false);
  connect();   // as the original: connect at once, the nickname is sent when chosen

  // Leave: tell the room at once and wait for the server's 'left' (a polling session would otherwise end only when
  // it times out), then go back to the rooms. Not started, or no answer within 2 s: go at once / anyway.
  function goToRooms() {
    var s = socket;
    if (leaving === 'gone') return;
    leaving = 'gone';
    socket = null;
    clearTimeout(retryTimer);
    location.href = '/';
    if (s) s.disconnect();
  }

  leave.addEventListener('click', function () {
    leave.disabled = true;
    if (!socket || !socket.connected || !started) return goToRooms();
    leaving = true;
    socket.send({ room: ROOM, action: 'leave' });
    setTimeout(goToRooms, 2000);
  });

  form.addEventListener('submit', function (event) {
    var text = input.value.trim();
    event.preventDefault();
    if (!text) return;
    input.value = '';
    if (started) {
      socket.send({ room: ROOM, action: 'message', message: text });
      return;
    }
    name = text;
    button.disabled = true;
    if (socket && socket.connected) sendStart();
    // else: sent when the socket connects
  });
})();
