// The article form: live word and character counts under the headline and
// the lead, and the withdrawal reason shown only when withdrawing. Without
// JavaScript the form shows everything and the server checks the reason.
"use strict";

(function () {
  function words(text) {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/u).length : 0;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function counter(field) {
    const output = document.createElement("span");
    output.className = "np-count";
    output.id = field.id + "_count";
    output.setAttribute("aria-live", "polite");
    const update = () => {
      const text = field.value;
      output.textContent =
        plural(words(text), "word", "words") + ", " +
        plural([...text].length, "character", "characters");
    };
    // Under the field, beside the label's column like the help text.
    (field.closest(".flex-container") || field).insertAdjacentElement("afterend", output);
    field.addEventListener("input", update);
    update();
  }

  function withdrawalReason(form) {
    const status = form.querySelector("select#id_status");
    const reason = form.querySelector("[data-withdrawn-reason]");
    const row = reason && reason.closest(".form-row");
    if (!status || !row) return;
    const update = () => {
      row.hidden = status.value !== "withdrawn" && !reason.value.trim();
    };
    status.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("[data-count]").forEach(counter);
    const form = document.getElementById("article_form");
    if (form) withdrawalReason(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
