// Forms: labelled fields with their own error line, and a submit that shows progress and the server's answer.
import { h } from "../lib/dom.js";
import { describeError, fieldErrors } from "../lib/api.js";

let fieldCount = 0;

/**
 * A labelled input (or `textarea` when `props.multiline`), with a hint and an error line tied to it by
 * `aria-describedby`. Returns the wrapper; the control is `wrapper.control`.
 */
export function field(label, props = {}) {
  const id = `field-${++fieldCount}`;
  const { multiline, hint, ...attributes } = props;
  const errorLine = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const hintLine = hint ? h("p", { class: "field-hint", id: `${id}-hint`, text: hint }) : null;
  const control = h(multiline ? "textarea" : "input", {
    id,
    ...attributes,
    "aria-describedby": [hintLine ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "),
  });
  const wrapper = h("div", { class: "field" }, h("label", { for: id, text: label }), control, hintLine, errorLine);
  wrapper.control = control;
  wrapper.showError = (message) => {
    errorLine.textContent = message ?? "";
    errorLine.hidden = !message;
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  };
  return wrapper;
}

/**
 * A form that calls `submit(values)` (an object of its named controls' values) and shows what goes wrong: field
 * messages of a 422 next to their fields, anything else in an alert above the button. The button is disabled while
 * the request runs.
 */
export function form({ fields, submitLabel, submit, dataset = {}, extra = null, className = "form" }) {
  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  const button = h("button", { type: "submit", class: "button button-primary", text: submitLabel });
  const element = h("form", { class: className, dataset, novalidate: true }, fields, problem, button, extra);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.hidden = true;
    for (const item of fields) item.showError?.(null);
    const values = {};
    for (const control of element.elements) {
      if (!control.name || control.type === "file") continue;
      values[control.name] = control.type === "checkbox" ? control.checked : control.value;
    }
    button.disabled = true;
    element.setAttribute("aria-busy", "true");
    try {
      await submit(values, element);
    } catch (error) {
      const perField = fieldErrors(error);
      let shown = false;
      for (const item of fields) {
        const name = item.control?.name;
        if (name && perField[name]) {
          item.showError(perField[name]);
          shown = true;
        }
      }
      if (!shown || Object.keys(perField).some((name) => !fields.some((item) => item.control?.name === name))) {
        problem.textContent = describeError(error);
        problem.hidden = false;
      }
      const firstInvalid = element.querySelector("[aria-invalid=true]");
      (firstInvalid ?? problem).focus?.();
    } finally {
      button.disabled = false;
      element.removeAttribute("aria-busy");
    }
  });
  element.problem = problem;
  return element;
}
