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

// <form data-confirm="县级审定 · 杨峰户（…）">: a decision that ends a case or a step is confirmed
// before it is sent. The dialog (base.html, #confirm-dialog) names the step and the household from
// data-confirm and repeats every choice the user made in the form (the checked radio buttons and
// boxes, with their question), so that a slip of the finger on a phone is caught here rather than
// by the county. Text goes in with textContent: nothing the user typed becomes markup.
(() => {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || !window.bootstrap) {
    return;
  }
  const modal = new window.bootstrap.Modal(dialog);
  let pending = null;

  function questionOf(input) {
    const fieldset = input.closest("fieldset");
    const legend = fieldset && fieldset.querySelector("legend");
    return legend ? legend.textContent.trim() : "";
  }

  function choicesOf(form) {
    const choices = [];
    for (const input of form.querySelectorAll("input[type=radio]:checked, input[type=checkbox]:checked")) {
      const label = input.id && form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      if (label) {
        choices.push([questionOf(input), label.textContent.trim()]);
      }
    }
    return choices;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) {
      return;
    }
    if (pending && pending.form === form && pending.confirmed) {
      pending = null;
      return; // confirmed: let it go
    }
    event.preventDefault();
    pending = { form, submitter: event.submitter, confirmed: false };
    dialog.querySelector("[data-confirm-subject]").textContent = form.dataset.confirm;
    const list = dialog.querySelector("[data-confirm-choices]");
    list.replaceChildren();
    for (const [question, answer] of choicesOf(form)) {
      const item = document.createElement("li");
      const strong = document.createElement("strong");
      strong.textContent = answer;
      item.append(question ? `${question}：` : "", strong);
      list.append(item);
    }
    list.hidden = list.childElementCount === 0;
    modal.show();
  });

  dialog.querySelector("[data-confirm-ok]").addEventListener("click", () => {
    if (!pending) {
      return;
    }
    pending.confirmed = true;
    modal.hide();
    pending.form.requestSubmit(pending.submitter || undefined);
  });
  dialog.addEventListener("hidden.bs.modal", () => {
    if (pending && !pending.confirmed) {
      pending = null;
    }
  });
})();

// <table class="table-stack">: each body cell learns its column's name (data-label), which the
// stylesheet shows before the value when a phone stacks the rows as cards. Runs again on the
// fragments htmx swaps in.
function labelStackedTables(root) {
  for (const table of root.querySelectorAll("table.table-stack")) {
    const names = [];
    for (const th of table.querySelectorAll("thead tr:last-child th")) {
      const span = Number(th.getAttribute("colspan") || 1);
      for (let i = 0; i < span; i += 1) {
        names.push(th.textContent.trim());
      }
    }
    for (const row of table.querySelectorAll("tbody tr")) {
      let column = 0;
      for (const cell of row.children) {
        if (names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += Number(cell.getAttribute("colspan") || 1);
      }
    }
  }
}
labelStackedTables(document);
document.addEventListener("htmx:afterSwap", (event) => labelStackedTables(event.target));

// <fieldset data-shown-when="category" data-shown-values="产业发展|新型农村集体经济">: a part of a
// form that applies only to some answers of another field of the form (the 四有 checklist of
// industry projects) is shown only for those answers; the server ignores it otherwise. Without
// this script every part stays shown.
(() => {
  const parts = document.querySelectorAll("[data-shown-when]");
  if (!parts.length) {
    return;
  }
  function update() {
    for (const part of parts) {
      const form = part.closest("form");
      const field = form && form.elements.namedItem(part.dataset.shownWhen);
      if (field) {
        part.hidden = !(part.dataset.shownValues || "").split("|").includes(field.value);
      }
    }
  }
  document.addEventListener("change", update);
  update();
})();

// <button type="button" data-formset-add="villages">: one more row of a Django formset. The
// form holds the empty row as <template data-formset-template="villages"> (its __prefix__ is
// the next row's number) and the rows in [data-formset-rows="villages"]; the management form's
// TOTAL_FORMS counts the new row.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  const form = button && button.closest("form");
  if (!form) {
    return;
  }
  const prefix = button.dataset.formsetAdd;
  const total = form.querySelector(`input[name="${CSS.escape(prefix)}-TOTAL_FORMS"]`);
  const template = form.querySelector(`template[data-formset-template="${CSS.escape(prefix)}"]`);
  const rows = form.querySelector(`[data-formset-rows="${CSS.escape(prefix)}"]`);
  if (!total || !template || !rows) {
    return;
  }
  const index = Number(total.value);
  const row = template.content.cloneNode(true);
  for (const element of row.querySelectorAll("[id], [name], [for]")) {
    for (const attribute of ["id", "name", "for"]) {
      const value = element.getAttribute(attribute);
      if (value) {
        element.setAttribute(attribute, value.replaceAll("__prefix__", String(index)));
      }
    }
  }
  rows.append(row);
  total.value = String(index + 1);
  const first = rows.lastElementChild && rows.lastElementChild.querySelector("select, input");
  if (first) {
    first.focus();
  }
});
