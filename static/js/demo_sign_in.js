// Demo sign-in: filter the people as you type. Without this file the search form asks
// the server (?q=), which applies the same rule: every word typed must appear in the
// person's data-search text (name, e-mail, role, faculty) or their group's (university,
// company).
(function () {
  "use strict";
  var input = document.getElementById("persona-q");
  var status = document.getElementById("persona-count");
  if (!input || !status) { return; }
  var people = Array.prototype.slice.call(document.querySelectorAll(".tf-persona"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".tf-persona-group"));
  var links = Array.prototype.slice.call(document.querySelectorAll("[data-group-link]"));
  var template = input.dataset.shownTemplate;
  var total = input.dataset.total;
  var timer = null;

  function normalise(text) {
    return (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
  }

  function apply() {
    var words = normalise(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    people.forEach(function (person) {
      var featured = person.closest("[data-featured]");
      var group = person.closest("[data-search-group]");
      var text = person.dataset.search + " " + (group ? group.dataset.searchGroup : "");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      person.hidden = featured ? words.length > 0 : !match;
      if (!featured && match) { shown += 1; }
    });
    // Innermost groups first, so a university with no match left is hidden as a whole.
    groups.slice().reverse().forEach(function (group) {
      group.hidden = !group.querySelector(".tf-persona:not([hidden])");
    });
    links.forEach(function (link) {
      var target = document.getElementById(link.dataset.groupLink);
      var section = target && target.closest(".tf-persona-group");
      link.hidden = !!(section && section.hidden);
    });
    status.textContent = template.replace("{shown}", shown).replace("{total}", total);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 120);
  });
  if (input.value) { apply(); }
})();
