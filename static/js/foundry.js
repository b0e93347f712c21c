// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // Tell the student at once when a chosen CV is too large, before the upload starts.
  document.querySelectorAll('input[type="file"][data-max-bytes]').forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var limit = parseInt(input.dataset.maxBytes, 10);
      var message = file && file.size > limit ? input.dataset.tooLarge : "";
      input.setCustomValidity(message);
      if (message) { input.reportValidity(); }
    });
  });
  // Phones start with the search filters folded away; without JavaScript they stay open.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(max-width: 991.98px)").matches) { filters.removeAttribute("open"); }
  // Move focus to a form's error summary so screen readers announce it.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
