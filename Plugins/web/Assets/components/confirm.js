// Asking before something that cannot be undone: a modal <dialog> (focus kept inside, Escape cancels), in the page's
// own style instead of the browser's confirm() box.
import { h } from "../lib/dom.js";

/**
 * Asks `question`; resolves true when the person confirms. `confirmLabel` names the action ("Delete"); `detail` adds a
 * sentence under the question. The confirm button is `button[data-action=confirm]`, the other `[data-action=cancel]`.
 */
export function confirmAction(question, { confirmLabel = "Delete", detail = null, danger = true } = {}) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    let answer = false;
    const titleId = `confirm-${Date.now()}`;
    const dialog = h(
      "dialog",
      { class: "confirm-dialog", "aria-labelledby": titleId },
      h("p", { class: "confirm-question", id: titleId, text: question }),
      detail ? h("p", { class: "confirm-detail", text: detail }) : null,
      h(
        "div",
        { class: "confirm-buttons" },
        h("button", { type: "button", class: "button", dataset: { action: "cancel" }, text: "Cancel", on: { click: () => dialog.close() } }),
        h("button", {
          type: "button",
          class: ["button", danger ? "button-danger-solid" : "button-primary"],
          dataset: { action: "confirm" },
          text: confirmLabel,
          on: {
            click: () => {
              answer = true;
              dialog.close();
            },
          },
        }),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus({ preventScroll: true });
      resolve(answer);
    });
    // A click on the backdrop (outside the box) cancels.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) {
        const box = dialog.getBoundingClientRect();
        const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) dialog.close();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("[data-action=cancel]").focus();
  });
}
