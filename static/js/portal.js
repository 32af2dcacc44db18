// Behaviour the pages declare with data attributes instead of inline handlers, which the
// Content-Security-Policy (script-src 'self', governance/settings.py) does not run:
//   <select data-auto-submit>  submits its form when the choice changes (a <noscript> button or a
//                              submit button beside it keeps the form usable without scripts);
//   <button data-print>        opens the browser's print dialogue.
// Delegated from the document, so content htmx swaps in is covered too.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-auto-submit]") : null;
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { event.preventDefault(); window.print(); }
  });
})();
