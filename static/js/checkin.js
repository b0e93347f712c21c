// The organiser's check-in page, made to survive the venue's Wi-Fi. It downloads the
// session's attendee list and the portal's public key once, then judges every scan, code
// or click on this device: the QR token's Ed25519 signature is verified with WebCrypto,
// the person looked up in the list. Each check-in is queued in localStorage with a scan id
// and this device's client id and sent to the sync endpoint in batches, at once when
// online, otherwise when the network comes back (the "online" event, and retries with a
// growing delay). The server is idempotent: a scan sent twice counts once.
// Without this file the page's forms still check people in, one request each.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  var tokenTag = document.querySelector('meta[name="csrf-token"]');
  if (!root || !tokenTag || !window.fetch || !window.localStorage) { return; }

  var sessionId = root.dataset.sessionId;
  var QUEUE_KEY = "tf-checkin-queue-" + sessionId;
  var LIST_KEY = "tf-checkin-list-" + sessionId;
  var BATCH = 200;
  var network = document.getElementById("checkin-network");
  var countTag = document.getElementById("checkin-count");
  var pendingWrap = document.getElementById("checkin-pending-wrap");
  var pendingTag = document.getElementById("checkin-pending");
  var syncNow = document.getElementById("checkin-sync-now");
  var result = document.getElementById("checkin-result");
  var rows = document.getElementById("checkin-rows");
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || "en-HK", {
    timeZone: "Asia/Hong_Kong", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var state = { data: null, key: null, byId: {}, byCode: {}, syncing: false, retries: 0, timer: null };
  var queue = read(QUEUE_KEY, []);
  var clientId = localStorage.getItem("tf-checkin-client");
  if (!clientId) {
    clientId = newId();
    localStorage.setItem("tf-checkin-client", clientId);
  }

  // --- small helpers --------------------------------------------------------------------

  function read(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }

  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full: kept in memory */ }
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  function message(name, values) {
    var key = "msg" + name.replace(/(^|-)([a-z])/g, function (m, dash, c) { return c.toUpperCase(); });
    var text = root.dataset[key] || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function show(text, kind) {
    result.innerHTML = "";
    var box = document.createElement("div");
    box.className = "alert alert-" + kind + " py-2 mb-2";
    box.textContent = text;
    result.appendChild(box);
  }

  function fromBase64Url(text) {
    var plain = text.replace(/-/g, "+").replace(/_/g, "/");
    while (plain.length % 4) { plain += "="; }
    var raw = atob(plain);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function normaliseCode(text) { return text.toUpperCase().replace(/[\s-]/g, ""); }

  // --- the list, on this device ---------------------------------------------------------

  function rowOf(person) { return rows && rows.querySelector('tr[data-id="' + person.id + '"]'); }

  function paint(person) {
    var row = rowOf(person);
    if (!row) { return; }
    var label = row.querySelector(".tf-in-label");
    var form = row.querySelector(".tf-list-form");
    var inside = Boolean(person.checked_in_at);
    row.classList.toggle("tf-in", inside);
    label.hidden = !inside;
    form.hidden = inside;
    if (inside) {
      label.textContent = person.pending
        ? root.dataset.labelPending
        : root.dataset.labelIn + " " + clock.format(new Date(person.checked_in_at));
    }
  }

  function refreshCounts() {
    var people = state.data ? state.data.attendees : [];
    countTag.textContent = String(people.filter(function (p) { return p.checked_in_at; }).length);
    pendingTag.textContent = String(queue.length);
    pendingWrap.hidden = queue.length === 0;
    syncNow.hidden = queue.length === 0;
  }

  function adopt(data) {
    state.data = data;
    state.byId = {};
    state.byCode = {};
    var waiting = {};
    queue.forEach(function (item) { if (item.person_id) { waiting[item.person_id] = item; } });
    data.attendees.forEach(function (person) {
      state.byId[person.id] = person;
      state.byCode[person.code] = person;
      if (!person.checked_in_at && waiting[person.id]) {
        person.checked_in_at = waiting[person.id].scanned_at;
        person.pending = true;
      }
      paint(person);
    });
    refreshCounts();
  }

  function importKey(encoded) {
    if (!window.crypto || !crypto.subtle) { return Promise.resolve(null); }
    return crypto.subtle.importKey("raw", fromBase64Url(encoded), { name: "Ed25519" }, false, ["verify"])
      .catch(function () { return null; });
  }

  function load() {
    return fetch(root.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("list not loaded"); }
        return response.json();
      })
      .then(function (data) { write(LIST_KEY, data); return data; })
      .catch(function () { return read(LIST_KEY, null); })
      .then(function (data) {
        if (!data) { return; }
        adopt(data);
        return importKey(data.public_key).then(function (key) {
          state.key = key;
          show(key ? message("ready") : message("no-webcrypto"), key ? "secondary" : "warning");
        });
      });
  }

  // --- judging a scan here ----------------------------------------------------------------

  function judgeToken(token) {
    var parts = String(token).trim().split(".");
    if (parts.length !== 2) { return Promise.resolve({ refusal: "forged" }); }
    var payload, signature;
    try {
      payload = fromBase64Url(parts[0]);
      signature = fromBase64Url(parts[1]);
    } catch (e) {
      return Promise.resolve({ refusal: "forged" });
    }
    var verified = state.key
      ? crypto.subtle.verify({ name: "Ed25519" }, state.key, signature, payload).catch(function () { return false; })
      : Promise.resolve(true); // no WebCrypto: the server judges it when it is sent
    return verified.then(function (valid) {
      var fields = new TextDecoder().decode(payload).split(".");
      if (!valid || fields.length !== 6 || fields[0] !== "TF1") { return { refusal: "forged" }; }
      if (Number(fields[1]) !== state.data.programme_id) { return { refusal: "other-programme" }; }
      if (Number(fields[2]) !== state.data.session_id) { return { refusal: "other-session" }; }
      var person = state.byId[fields[3]];
      if (!person) { return { refusal: "unknown" }; }
      if (person.version !== Number(fields[4])) { return { refusal: "replaced" }; }
      return { person: person };
    });
  }

  function handle(kind, value) {
    if (!state.data) { return Promise.resolve(); }
    var item = { scan_id: newId(), client_id: clientId, scanned_at: new Date().toISOString() };
    var judged;
    if (kind === "token") {
      item.token = String(value).trim();
      judged = judgeToken(item.token);
    } else if (kind === "code") {
      item.code = normaliseCode(value);
      var byCode = state.byCode[item.code];
      judged = Promise.resolve(byCode ? { person: byCode } : { refusal: "no-code" });
    } else {
      item.registration_id = Number(value);
      judged = Promise.resolve({ person: state.byId[value] });
    }
    return judged.then(function (verdict) {
      if (verdict.refusal) { show(message(verdict.refusal), "danger"); return; }
      var person = verdict.person;
      if (person.checked_in_at) {
        show(message("already", { name: person.name, time: clock.format(new Date(person.checked_in_at)) }), "warning");
        return;
      }
      person.checked_in_at = item.scanned_at;
      person.pending = true;
      item.person_id = person.id;
      paint(person);
      queue.push(item);
      write(QUEUE_KEY, queue);
      refreshCounts();
      show(message(navigator.onLine ? "checked-in" : "queued", { name: person.name }), "success");
      return flush();
    });
  }

  // --- sending the queue ------------------------------------------------------------------

  function later() {
    clearTimeout(state.timer);
    state.retries += 1;
    var delay = Math.min(60000, 1000 * Math.pow(2, state.retries));
    state.timer = setTimeout(flush, delay);
  }

  function settle(sent, results) {
    var done = {};
    results.forEach(function (outcome, index) {
      var item = sent[index];
      done[item.scan_id] = true;
      var person = state.byId[item.person_id] || state.byId[outcome.registration_id];
      if (outcome.ok && person) {
        person.checked_in_at = outcome.checked_in_at;
        person.pending = false;
      } else if (!outcome.ok) {
        if (person) { person.checked_in_at = null; person.pending = false; }
        show(message("refused", { message: outcome.message }), "danger");
      }
      if (person) { paint(person); }
    });
    queue = queue.filter(function (item) { return !done[item.scan_id]; });
    write(QUEUE_KEY, queue);
    refreshCounts();
  }

  function flush() {
    setNetwork();
    if (state.syncing || queue.length === 0 || !navigator.onLine) { refreshCounts(); return Promise.resolve(); }
    state.syncing = true;
    var sent = queue.slice(0, BATCH);
    var body = sent.map(function (item) {
      var copy = Object.assign({}, item);
      delete copy.person_id;
      return copy;
    });
    return fetch(root.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": tokenTag.content },
      body: JSON.stringify({ scans: body })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1 || response.status >= 500) { throw new Error("retry"); }
      return response.json().then(function (answer) {
        if (!response.ok) {
          // The whole batch was refused (it is not one): keep nothing that cannot be sent.
          settle(sent, sent.map(function () { return { ok: false, message: answer.message || "" }; }));
          return;
        }
        settle(sent, answer.results);
        state.retries = 0;
      });
    }).catch(function () {
      later();
    }).then(function () {
      state.syncing = false;
      refreshCounts();
      if (queue.length && state.retries === 0) { return flush(); }
    });
  }

  function setNetwork() {
    var online = navigator.onLine;
    network.textContent = online ? message("online") : message("offline");
    network.className = "badge text-wrap text-start " + (online ? "text-bg-success" : "text-bg-warning");
  }

  // --- the page's controls ------------------------------------------------------------------

  var codeForm = document.getElementById("checkin-code-form");
  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = codeForm.querySelector('input[name="code"]');
    if (!input.value.trim()) { input.focus(); return; }
    handle("code", input.value).then(function () { input.value = ""; input.focus(); });
  });
  codeForm.querySelector('input[name="code"]').classList.add("tf-checkin-code-input");

  if (rows) {
    rows.addEventListener("submit", function (event) {
      var row = event.target.closest("tr");
      if (!row) { return; }
      event.preventDefault();
      handle("list", row.dataset.id);
    });
  }

  var search = document.getElementById("checkin-search");
  search.hidden = false;
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().replace(/-/g, "").trim();
    Array.prototype.forEach.call(rows ? rows.children : [], function (row) {
      row.hidden = words !== "" && row.dataset.search.indexOf(words) === -1;
    });
  });

  syncNow.addEventListener("click", function () { state.retries = 0; flush(); });
  window.addEventListener("online", function () { state.retries = 0; flush(); });
  window.addEventListener("offline", setNetwork);

  // Entry points for the browser tests; the camera (qr-scan.js) sends a "tf-scan" event.
  window.tfCheckin = { handle: handle, flush: flush, queue: function () { return queue.slice(); } };

  setNetwork();
  load().then(flush);
  root.dataset.ready = "true";
  root.addEventListener("tf-scan", function (event) { handle("token", event.detail); });
})();
