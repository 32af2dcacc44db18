// Searchable pickers (governance/pages/widgets.py): the box sends what was typed as `q` (the
// label of the current choice is no search term); a click on a choice sets the hidden key and
// tells the form, so a filter form refreshes its list; the box's own changes are no choice.
(function () {
  const part = (picker, name) => picker.querySelector(`[data-picker-${name}]`);
  function choose(picker, key, label) {
    part(picker, "key").value = key;
    part(picker, "label").value = part(picker, "search").value = label;
    htmx.trigger(part(picker, "search"), "htmx:abort"); // a search still on its way is no longer wanted
    part(picker, "results").replaceChildren();
    part(picker, "key").dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("htmx:configRequest", (event) => {
    const box = event.detail.elt;
    if (!box.matches("[data-picker-search]")) return;
    const showsChoice = box.value !== "" && box.value === part(box.closest("[data-picker]"), "label").value;
    // Showing the current choice, the box lists from the start on focus and ignores a late keystroke.
    if (showsChoice && event.detail.triggeringEvent?.type !== "focus") return event.preventDefault();
    event.detail.parameters.q = showsChoice ? "" : box.value;
  });
  document.addEventListener("click", (event) => {
    const choice = event.target.closest("[data-picker-choice]");
    if (choice) choose(choice.closest("[data-picker]"), choice.dataset.key, choice.dataset.label);
    for (const results of document.querySelectorAll("[data-picker-results]")) {
      if (!results.closest("[data-picker]").contains(event.target)) results.replaceChildren();
    }
  });
  document.addEventListener("change", (event) => {
    if (!event.target.matches("[data-picker-search]")) return;
    event.stopPropagation();
    if (event.target.value.trim() === "") choose(event.target.closest("[data-picker]"), "", "");
  }, true);
  document.addEventListener("keydown", (event) => {
    const picker = event.key === "Escape" && event.target.closest("[data-picker]");
    if (picker) part(picker, "results").replaceChildren();
  });
})();
