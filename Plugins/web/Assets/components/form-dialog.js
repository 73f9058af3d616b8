// A question that needs an answer typed in (a ban's reason, the password before deleting an account): a modal <dialog>
// holding a form of components/form.js, so the server's refusals show next to the fields and the dialog stays open.
// It looks like the confirmation dialog (components/confirm.js) and uses its styles.
import { h } from "../lib/dom.js";
import { form } from "./form.js";

/**
 * Opens a dialog titled `title` with `fields` (from `field()`); `submit(values)` runs on confirm and may throw an
 * ApiError to show it, or return false to stay open. Resolves with what `submit` returned, or null when cancelled (Escape, Cancel, the backdrop).
 */
export function formDialog({ title, detail = null, fields, confirmLabel, danger = false, submit, dataset = {} }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = `dialog-${Math.random().toString(36).slice(2)}`;
    let result = null;
    const dialog = h("dialog", { class: "confirm-dialog form-dialog", "aria-labelledby": titleId });
    const cancel = h(
      "button",
      { type: "button", class: "button", dataset: { action: "cancel" }, text: "Cancel", on: { click: () => closeUnlessBusy() } },
    );
    const element = form({
      fields,
      submitLabel: confirmLabel,
      dataset: { form: "dialog", ...dataset },
      submit: async (values) => {
        const answer = await submit(values);
        if (answer === false) return; // the submit showed why; stay open
        result = answer ?? true;
        dialog.close();
      },
    });
    const button = element.querySelector("button[type=submit]");
    button.dataset.action = "confirm";
    if (danger) button.classList.add("button-danger-solid");
    element.append(h("div", { class: "confirm-buttons" }, cancel, button));
    dialog.append(h("h2", { id: titleId, text: title }), detail ? h("p", { class: "confirm-detail", text: detail }) : null, element);
    // Cancelling while the request runs would hide an action that still happens: wait for its answer instead.
    const busy = () => element.getAttribute("aria-busy") === "true";
    function closeUnlessBusy() {
      if (!busy()) dialog.close();
    }
    dialog.addEventListener("cancel", (event) => {
      if (busy()) event.preventDefault();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus({ preventScroll: true });
      resolve(result);
    });
    dialog.addEventListener("click", (event) => {
      if (event.target !== dialog) return;
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) closeUnlessBusy();
    });
    document.body.append(dialog);
    dialog.showModal();
    (fields[0]?.control ?? cancel).focus();
  });
}
