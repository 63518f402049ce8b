/* The staff desk's behaviour (no inline scripts: the pages' Content-Security-Policy
   allows scripts from static files only).
   - Workflow buttons open their confirmation <dialog> (one POST, back where you were);
     without JavaScript they are links to the confirmation page.
   - Ctrl/Cmd+S saves the change form ("Save and continue editing").
   - Leaving a change form with unsaved changes asks first.
   - The preferences page shows the browser's time zone. */
(function () {
  "use strict";

  function openDialog(event) {
    const trigger = event.target.closest("[data-dialog]");
    if (!trigger) return;
    const dialog = document.getElementById(trigger.dataset.dialog);
    if (!dialog || typeof dialog.showModal !== "function") return; // follow the link
    event.preventDefault();
    dialog.showModal();
    const field = dialog.querySelector("textarea, input[type=text]");
    (field || dialog.querySelector("button[type=submit]")).focus();
  }

  function closeDialog(event) {
    const button = event.target.closest("[data-close]");
    if (button) button.closest("dialog").close();
  }

  document.addEventListener("click", openDialog);
  document.addEventListener("click", closeDialog);

  // The admin's change form: <form id="<model>_form"> holding a "_continue" button.
  const form = document.querySelector("form[id$='_form'] input[name='_continue']")?.form;
  if (form) {
    let dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        const save = form.querySelector("input[name='_continue']");
        dirty = false;
        form.requestSubmit(save);
      }
    });
  }

  // Select2 (autocomplete fields) names neither its search box nor, with nothing chosen
  // yet, its combobox: name them after their field (its label, or the aria-label of the
  // select in a tabular inline).
  function fieldName(element) {
    const select = element.closest(".select2")?.previousElementSibling;
    if (!select) return "";
    const label = select.id && document.querySelector("label[for='" + select.id + "']");
    return (label ? label.textContent : select.getAttribute("aria-label") || select.name || "")
      .replace(":", "").trim();
  }
  function labelSearchBoxes() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      box.setAttribute("aria-label", "Search " + fieldName(box));
    });
    document.querySelectorAll(
      ".select2-selection[role=combobox]:not([aria-label]), .select2-selection__rendered[role=textbox]:not([aria-label])"
    ).forEach(function (box) {
      box.removeAttribute("aria-labelledby"); // points at the choice, empty until one is made
      box.setAttribute("aria-label", fieldName(box));
    });
  }
  labelSearchBoxes();
  new MutationObserver(labelSearchBoxes).observe(document.body, { childList: true, subtree: true });

  const zoneNote = document.querySelector("[data-browser-time-zone]");
  if (zoneNote && window.Intl) {
    zoneNote.querySelector("strong").textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;
    zoneNote.hidden = false;
  }
})();
