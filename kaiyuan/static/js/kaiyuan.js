// The site's own behaviour, loaded by base.html. The Content-Security-Policy allows no inline
// script or inline event handler, so templates ask for behaviour with data attributes instead.
"use strict";

// <select data-autosubmit> / <input type="checkbox" data-autosubmit>: choosing a value submits
// the form (a filter that applies at once). requestSubmit() runs the form's validation and submit
// event, as the button would.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});
