// The admin's "Import wire copy" form: over 1 MB the server refuses the whole request
// before the form can answer, so say so here, in the form, before sending anything.
(function () {
  "use strict";
  const form = document.getElementById("wire-import-form");
  if (!form) return;
  const note = document.getElementById("wire-import-too-big");
  const limit = Number(form.dataset.maxBytes);
  function megabytes(n) { return (n / 1048576).toFixed(1) + " MB"; }
  function check(event) {
    const file = form.querySelector("input[type=file]").files[0];
    const size = file ? file.size : new Blob([form.querySelector("textarea").value]).size;
    const what = file ? "The file " + file.name : "The pasted copy";
    note.hidden = size <= limit;
    if (size > limit) {
      note.textContent = what + " is " + megabytes(size) + "; the limit is 1 MB (" +
        limit.toLocaleString("en") + " bytes). Split the copy or shorten it.";
      if (event.type === "submit") event.preventDefault();
    }
  }
  form.addEventListener("submit", check);
  form.querySelector("input[type=file]").addEventListener("change", check);
})();
