// The pipeline board: a recruiter moves a card to another column by dragging it (mouse,
// touch or pen, through Pointer Events) or with the card's "Move to…" menu (keyboard, or
// a single tap). Without this file the menu is a plain form and every move still works.
// The server decides: a refused move snaps back with its reason, an interview or an offer
// opens its form, a rejection is confirmed in a dialog first.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var tokenTag = document.querySelector('meta[name="csrf-token"]');
  if (!board || !tokenTag || !window.fetch || !window.FormData) { return; }
  var announcer = document.getElementById("board-announcer");
  var dialog = document.getElementById("reject-dialog");
  var OPENS_A_FORM = ["interview", "offer"];
  var DRAG_THRESHOLD = 6;
  var EDGE = 60;

  // --- the board's DOM ----------------------------------------------------------------

  function columnOf(status) {
    return board.querySelector('.tf-column[data-status="' + status + '"]');
  }

  function columnAround(card) {
    return card.closest(".tf-column");
  }

  function targetsOf(card) {
    var buttons = card.querySelectorAll('.tf-move-form button[name="to_status"]');
    return Array.prototype.map.call(buttons, function (button) { return button.value; });
  }

  function addToCount(column, delta) {
    if (!column) { return; }
    var value = column.querySelector(".tf-count-value");
    value.textContent = String(parseInt(value.textContent, 10) + delta);
    var list = column.querySelector(".tf-cards");
    column.querySelector(".tf-empty").hidden = list.children.length > 0;
  }

  // Cards are ordered newest application first, as the server lists them.
  function comesBefore(card, other) {
    var mine = card.dataset.submitted;
    var theirs = other.dataset.submitted;
    if (mine !== theirs) { return mine > theirs; }
    return parseInt(card.dataset.id, 10) > parseInt(other.dataset.id, 10);
  }

  function place(card, column) {
    var list = column.querySelector(".tf-cards");
    var next = Array.prototype.find.call(list.children, function (other) {
      return other !== card && comesBefore(card, other);
    });
    list.insertBefore(card, next || null);
  }

  function rebuildMenu(card, moves) {
    var form = card.querySelector(".tf-move-form");
    form.querySelectorAll('button[name="to_status"]').forEach(function (b) { b.remove(); });
    moves.forEach(function (move) {
      var button = document.createElement("button");
      button.className = "btn btn-sm btn-outline-primary";
      button.type = "submit";
      button.name = "to_status";
      button.value = move.value;
      button.textContent = move.label;
      form.appendChild(button);
    });
    var details = card.querySelector(".tf-move");
    details.open = false;
    details.hidden = moves.length === 0;
    var handle = card.querySelector(".tf-drag-handle");
    if (handle && moves.length === 0) { handle.remove(); }
  }

  function announce(text) {
    announcer.textContent = "";
    window.requestAnimationFrame(function () { announcer.textContent = text; });
  }

  function clearError(card) {
    var old = card.querySelector(".tf-card-error");
    if (old) { old.remove(); }
  }

  function showError(card, message) {
    clearError(card);
    var error = document.createElement("p");
    error.className = "tf-card-error small text-danger mb-0 mt-1";
    error.setAttribute("role", "alert");
    error.textContent = message;
    card.appendChild(error);
  }

  function focusMenu(card) {
    var summary = card.querySelector(".tf-move:not([hidden]) summary");
    var link = card.querySelector("a");
    (summary || link).focus();
  }

  // --- asking the server ----------------------------------------------------------------

  function send(card, status, confirmation) {
    var form = card.querySelector(".tf-move-form");
    var data = new FormData();
    data.append("csrf_token", tokenTag.content);
    data.append("back", "board");
    data.append("to_status", status);
    if (confirmation) {
      data.append("confirm", "y");
      data.append("message", confirmation.message);
    }
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // A page instead of JSON: the session ended (the sign-in page) or the server failed.
      if (type.indexOf("application/json") === -1) { throw new Error("not JSON"); }
      return response.json();
    });
  }

  function confirmRejection(card) {
    return new Promise(function (resolve) {
      if (!dialog || typeof dialog.showModal !== "function") {
        resolve({ unsupported: true });
        return;
      }
      var message = dialog.querySelector("#reject-message");
      dialog.querySelector("#reject-who").textContent = card.dataset.name;
      message.value = "";
      dialog.returnValue = "";
      dialog.addEventListener("close", function closed() {
        dialog.removeEventListener("close", closed);
        resolve(dialog.returnValue === "reject" ? { message: message.value } : null);
      });
      dialog.showModal();
    });
  }

  function moveCard(card, status, fromKeyboard) {
    var from = columnAround(card);
    if (!from || from.dataset.status === status || card.classList.contains("tf-busy")) { return; }
    clearError(card);
    var ask = status === "rejected" ? confirmRejection(card) : Promise.resolve(undefined);
    ask.then(function (confirmation) {
      if (confirmation === null) {  // the recruiter cancelled
        if (fromKeyboard) { focusMenu(card); }
        return;
      }
      if (confirmation && confirmation.unsupported) { confirmation = undefined; }
      var before = { list: card.parentNode, next: card.nextSibling };
      var to = columnOf(status);
      var optimistic = OPENS_A_FORM.indexOf(status) === -1;
      if (optimistic) {
        if (to) { place(card, to); } else { card.remove(); }
        addToCount(from, -1);
        addToCount(to, +1);
        if (fromKeyboard && to) { focusMenu(card); }
      }
      card.classList.add("tf-busy");
      card.setAttribute("aria-busy", "true");

      function snapBack(message) {
        if (optimistic) {
          before.list.insertBefore(card, before.next);
          addToCount(to, -1);
          addToCount(from, +1);
        }
        showError(card, message);
        if (fromKeyboard) { focusMenu(card); }
      }

      send(card, status, confirmation).then(function (body) {
        card.classList.remove("tf-busy");
        card.removeAttribute("aria-busy");
        if (body.ok) {
          rebuildMenu(card, body.moves || []);
          announce(body.message);
          card.classList.add("tf-moved");
          window.setTimeout(function () { card.classList.remove("tf-moved"); }, 1600);
          if (fromKeyboard && to) { focusMenu(card); }
        } else if (body.open) {
          announce(body.message);
          window.location.assign(body.open);
        } else {
          snapBack(body.message || board.dataset.failed);
        }
      }).catch(function () {
        card.classList.remove("tf-busy");
        card.removeAttribute("aria-busy");
        snapBack(board.dataset.failed);
      });
    });
  }

  // --- the "Move to…" menu: keyboard and single-pointer moves ----------------------------

  board.addEventListener("submit", function (event) {
    var form = event.target.closest(".tf-move-form");
    var button = event.submitter;
    if (!form || !button || button.name !== "to_status") { return; }
    event.preventDefault();
    moveCard(form.closest(".tf-card"), button.value, true);
  });

  // --- dragging ---------------------------------------------------------------------------

  var drag = null;

  function columnAt(x, y) {
    var element = document.elementFromPoint(x, y);
    var column = element && element.closest(".tf-column");
    return column && board.contains(column) ? column : null;
  }

  function startDrag() {
    var card = drag.card;
    var box = card.getBoundingClientRect();
    var ghost = card.cloneNode(true);
    ghost.removeAttribute("id");
    ghost.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    ghost.setAttribute("aria-hidden", "true");
    ghost.classList.add("tf-ghost");
    ghost.style.width = box.width + "px";
    document.body.appendChild(ghost);
    drag.ghost = ghost;
    drag.offsetX = drag.startX - box.left;
    drag.offsetY = drag.startY - box.top;
    drag.started = true;
    var targets = targetsOf(card);
    var own = columnAround(card);
    board.querySelectorAll(".tf-column").forEach(function (column) {
      if (column === own) { return; }
      column.classList.add(targets.indexOf(column.dataset.status) === -1 ? "tf-drop-no" : "tf-drop-ok");
    });
    card.classList.add("tf-drag-source");
    document.body.classList.add("tf-dragging");
    var selection = window.getSelection && window.getSelection();
    if (selection) { selection.removeAllRanges(); }
    window.requestAnimationFrame(scrollNearEdges);
  }

  function scrollNearEdges() {
    if (!drag || !drag.started) { return; }
    if (drag.y < EDGE) { window.scrollBy(0, -Math.ceil((EDGE - drag.y) / 4)); }
    if (drag.y > window.innerHeight - EDGE) {
      window.scrollBy(0, Math.ceil((drag.y - window.innerHeight + EDGE) / 4));
    }
    window.requestAnimationFrame(scrollNearEdges);
  }

  function endDrag() {
    if (!drag) { return null; }
    var ended = drag;
    drag = null;
    if (ended.started) {
      ended.ghost.remove();
      ended.card.classList.remove("tf-drag-source");
      document.body.classList.remove("tf-dragging");
      board.querySelectorAll(".tf-drop-ok, .tf-drop-no, .tf-drop-over").forEach(function (column) {
        column.classList.remove("tf-drop-ok", "tf-drop-no", "tf-drop-over");
      });
    }
    return ended;
  }

  board.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || !event.isPrimary || drag) { return; }
    var card = event.target.closest(".tf-card");
    if (!card || card.classList.contains("tf-busy") || targetsOf(card).length === 0) { return; }
    var onHandle = event.target.closest(".tf-drag-handle");
    // A finger scrolls the page unless it holds the handle; a mouse drags the whole card
    // except its links and controls.
    var onControl = event.target.closest("a, button, summary, input, textarea, select, label, form");
    if (!onHandle && (event.pointerType !== "mouse" || onControl)) { return; }
    drag = { card: card, id: event.pointerId, startX: event.clientX, startY: event.clientY,
             y: event.clientY, started: false };
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) { return; }
    drag.y = event.clientY;
    if (!drag.started) {
      var distance = Math.abs(event.clientX - drag.startX) + Math.abs(event.clientY - drag.startY);
      if (distance < DRAG_THRESHOLD) { return; }
      startDrag();
    }
    event.preventDefault();
    drag.ghost.style.left = (event.clientX - drag.offsetX) + "px";
    drag.ghost.style.top = (event.clientY - drag.offsetY) + "px";
    var over = columnAt(event.clientX, event.clientY);
    board.querySelectorAll(".tf-drop-over").forEach(function (column) {
      if (column !== over) { column.classList.remove("tf-drop-over"); }
    });
    if (over && over !== columnAround(drag.card)) { over.classList.add("tf-drop-over"); }
  });

  document.addEventListener("pointerup", function (event) {
    if (!drag || event.pointerId !== drag.id) { return; }
    var ended = endDrag();
    if (!ended.started) { return; }
    var column = columnAt(event.clientX, event.clientY);
    if (column && column !== columnAround(ended.card)) {
      moveCard(ended.card, column.dataset.status, false);
    }
  });

  document.addEventListener("pointercancel", function (event) {
    if (drag && event.pointerId === drag.id) { endDrag(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drag && drag.started) { endDrag(); }
  });
})();
