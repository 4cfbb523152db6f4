// "Thêm dòng" for inline formsets: clone the empty form, renumber it, bump TOTAL_FORMS.
// Without JavaScript the page still works: one blank row is always offered.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-formset]").forEach((fieldset) => {
    const prefix = fieldset.dataset.formset;
    const total = fieldset.querySelector(`#id_${prefix}-TOTAL_FORMS`);
    const template = fieldset.querySelector("template[data-formset-empty]");
    const rows = fieldset.querySelector("[data-formset-rows]");
    const button = fieldset.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !button) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    });
  });
});
