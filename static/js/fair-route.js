// "My route" at a fair: the exhibitors a student stars (kept in this browser's
// localStorage, per fair) plus those they booked, listed in booth order. Nothing is sent
// to the server: the route is the student's own plan for the day.
(function () {
  "use strict";
  var route = document.getElementById("fair-route");
  if (!route) return;
  var key = "tf-fair-route-" + route.dataset.programme;
  var booked = (route.dataset.booked || "").split(",").filter(Boolean);
  var list = document.getElementById("fair-route-list");
  var empty = document.getElementById("fair-route-empty");

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "[]");
    } catch (e) {
      return [];
    }
  }
  function save(ids) {
    try {
      window.localStorage.setItem(key, JSON.stringify(ids));
    } catch (e) {
      /* private mode: the stars last for this page only */
    }
  }
  var starred = load();

  function render() {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".tf-exhibitor"));
    var wanted = cards.filter(function (card) {
      var id = card.dataset.exhibitor;
      return starred.indexOf(id) >= 0 || booked.indexOf(id) >= 0;
    });
    wanted.sort(function (a, b) {
      return a.dataset.booth.localeCompare(b.dataset.booth, undefined, { numeric: true });
    });
    list.textContent = "";
    wanted.forEach(function (card) {
      var item = document.createElement("li");
      var text = route.dataset.labelBooth + " " + card.dataset.booth + " · " + card.dataset.name;
      if (booked.indexOf(card.dataset.exhibitor) >= 0) text += " (" + route.dataset.labelBooked + ")";
      item.textContent = text;
      list.appendChild(item);
    });
    empty.hidden = wanted.length > 0;
    document.querySelectorAll(".tf-star").forEach(function (button) {
      var on = starred.indexOf(button.dataset.exhibitor) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.firstChild.textContent = (on ? "★ " : "☆ ") + (on ? route.dataset.labelStarred : route.dataset.labelStar);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tf-star");
    if (!button) return;
    var id = button.dataset.exhibitor;
    var at = starred.indexOf(id);
    if (at >= 0) starred.splice(at, 1);
    else starred.push(id);
    save(starred);
    render();
  });
  render();
})();
