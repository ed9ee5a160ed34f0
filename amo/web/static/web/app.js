// Behaviour that templates ask for with data- attributes: the Content-Security-Policy allows no
// inline script (no onchange=, onsubmit=, <script> in pages).
"use strict";

// <select data-autosubmit>: choosing an option sends its form (e.g. the academic year filter).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});

// <form data-confirm="question">: asks before sending; nothing is sent if the user declines.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
