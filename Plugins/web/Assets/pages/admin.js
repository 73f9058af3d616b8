// Administration: find accounts by handle or email, ban and unban them, make and unmake admins, and delete a post.
import { h, mount } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { navigate } from "../lib/router.js";
import { isAdmin } from "../lib/session.js";
import { timeAgo } from "../lib/time.js";
import { field, form } from "../components/form.js";
import { formDialog } from "../components/form-dialog.js";
import { emptyState, errorState, errorToast, loading, toast } from "../components/states.js";

/** The post id in what an admin pasted: an id, or a link to the post (`/p/<id>`). */
export function postIdFrom(text) {
  const value = String(text ?? "").trim();
  if (/^\d{1,19}$/.test(value)) return value;
  const match = /\/p\/(\d{1,19})(?:[/?#]|$)/.exec(value);
  return match ? match[1] : null;
}

function forbidden(ctx) {
  ctx.title("Admins only");
  return h(
    "section",
    { class: "state admin-forbidden", role: "alert", dataset: { state: "forbidden" } },
    h("h1", { text: "Admins only" }),
    h("p", { text: "This page is for the site's administrators. Your account cannot use it." }),
    h("a", { class: "button", href: "/", text: "Go home" }),
  );
}

function usersSection(ctx) {
  const me = ctx.user;
  const body = h("tbody");
  const status = h("div", { class: "list-status" });
  const more = h("button", { type: "button", class: "button list-more", text: "Load more", hidden: true });
  const table = h(
    "table",
    { class: "admin-users" },
    h("caption", { class: "visually-hidden", text: "Accounts" }),
    h(
      "thead",
      {},
      h("tr", {}, ["Account", "Role", "Status", "Joined", "Actions"].map((text) => h("th", { scope: "col", text }))),
    ),
    body,
  );
  let query = "";
  let cursor = null;
  let generation = 0;

  async function load({ fresh }) {
    const run = fresh ? ++generation : generation;
    if (fresh) {
      cursor = null;
      mount(body);
    }
    more.hidden = true;
    mount(status, loading("Loading accounts…"));
    try {
      const page = await api.get("/admin/users", { q: query, cursor, limit: 40 }, { signal: ctx.signal });
      if (run !== generation) return;
      for (const account of page?.items ?? []) body.append(row(account));
      cursor = page?.next_cursor ?? null;
      more.hidden = !cursor;
      mount(status, body.children.length ? null : emptyState(query ? `No account starts with “${query}”.` : "No accounts yet."));
    } catch (error) {
      if (run !== generation || error?.name === "AbortError") return;
      mount(status, errorState(error, () => load({ fresh })));
    }
  }
  more.addEventListener("click", () => load({ fresh: false }));

  function row(account) {
    const self = me && account.id === me.id;
    const actions = h("td", { class: "admin-actions" });
    const element = h(
      "tr",
      { dataset: { handle: account.handle, role: account.role, banned: String(Boolean(account.banned)) } },
      h(
        "td",
        { class: "admin-account" },
        h("a", { href: `/u/${encodeURIComponent(account.handle)}`, text: `@${account.handle}` }),
        self ? h("span", { class: "status-chip", text: "You" }) : null,
        h("span", { class: "admin-email", text: account.email }),
      ),
      h(
        "td",
        { class: "admin-role" },
        h("span", { class: ["status-chip", account.role === "admin" && "status-chip-accent"], text: account.role === "admin" ? "Admin" : "User" }),
      ),
      h(
        "td",
        { class: "admin-status" },
        account.banned
          ? [
            h("span", { class: "status-chip status-chip-danger", text: "Banned" }),
            account.ban_reason ? h("span", { class: "admin-reason", text: account.ban_reason }) : null,
          ]
          : h("span", { text: account.email_verified ? "Active" : "Active · email not confirmed" }),
      ),
      h("td", { class: "admin-joined" }, timeAgo(account.created_at)),
      actions,
    );
    const button = (action, text, run, danger = false) =>
      h("button", {
        type: "button",
        class: ["button", "button-small", danger && "button-danger"],
        dataset: { action },
        text,
        "aria-label": `${text} @${account.handle}`,
        on: { click: (event) => act(event.currentTarget, run) },
      });
    // Banning yourself would only sign you out (and the last admin cannot be banned anyway).
    const banControl = account.banned ? button("unban", "Unban", () => post("unban")) : self ? null : button("ban", "Ban", ban, true);
    const roleControl = account.role === "admin" ? button("demote", "Remove admin", demote) : button("promote", "Make admin", () => post("promote"));
    actions.append(...[banControl, roleControl].filter(Boolean));

    function post(action, json) {
      return api.post(`/admin/users/${encodeURIComponent(account.handle)}/${action}`, json);
    }
    async function ban() {
      const reason = field(
        "Reason",
        { name: "reason", multiline: true, maxlength: 500, required: true, hint: "Kept with the account; up to 500 characters." },
      );
      return formDialog({
        title: `Ban @${account.handle}?`,
        detail: "They are signed out everywhere at once and cannot sign in until unbanned.",
        fields: [reason],
        confirmLabel: "Ban",
        danger: true,
        dataset: { form: "ban" },
        submit: async (values) => {
          if (!values.reason.trim()) {
            reason.showError("Give a reason.");
            return false;
          }
          return post("ban", { reason: values.reason.trim() });
        },
      });
    }
    async function demote() {
      if (!self) return post("demote");
      const sure = await formDialog({
        title: "Remove your own admin role?",
        detail: "You lose access to this page at once.",
        fields: [],
        confirmLabel: "Remove my admin role",
        danger: true,
        submit: () => post("demote"),
      });
      return sure;
    }
    async function act(target, run) {
      for (const control of actions.querySelectorAll("button")) control.disabled = true;
      try {
        const updated = await run();
        if (updated && typeof updated === "object") {
          const next = row(updated);
          element.replaceWith(next);
          next.querySelector(`[data-action]`)?.focus();
          toast(message(target.dataset.action, updated));
          if (self && target.dataset.action === "demote") {
            await ctx.refreshUser();
            return navigate("/", { replace: true });
          }
        }
      } catch (error) {
        errorToast(error);
      } finally {
        if (element.isConnected) for (const control of actions.querySelectorAll("button")) control.disabled = false;
      }
    }
    return element;
  }

  let typing = null;
  const search = h("input", { type: "search", name: "q", id: "admin-q", spellcheck: "false", placeholder: "Handle or email" });
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      if (search.value.trim() === query) return;
      query = search.value.trim();
      load({ fresh: true });
    }, 250);
  });
  const searchForm = h(
    "form",
    { class: "admin-search", role: "search", dataset: { form: "admin-search" } },
    h("label", { for: "admin-q", text: "Find an account" }),
    h("div", { class: "admin-search-row" }, search, h("button", { type: "submit", class: "button", text: "Search" })),
  );
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    query = search.value.trim();
    load({ fresh: true });
  });
  ctx.onLeave(() => clearTimeout(typing));
  load({ fresh: true });
  return h(
    "section",
    { class: "card admin-section", "aria-labelledby": "admin-users-title" },
    h("h2", { id: "admin-users-title", text: "Accounts" }),
    searchForm,
    h("div", { class: "table-scroll" }, table),
    status,
    more,
  );
}

function message(action, account) {
  const who = `@${account.handle}`;
  return {
    ban: `${who} is banned and signed out.`,
    unban: `${who} can sign in again.`,
    promote: `${who} is now an admin.`,
    demote: `${who} is no longer an admin.`,
  }[action];
}

function deletePostSection() {
  const post = field("Post link or id", { name: "post", autocomplete: "off", required: true, hint: "Paste the post's address (…/p/123) or its id." });
  const element = form({
    fields: [post],
    submitLabel: "Delete post",
    dataset: { form: "admin-delete-post" },
    submit: async (values, formElement) => {
      const id = postIdFrom(values.post);
      if (!id) return post.showError("This is neither a post's address nor its id.");
      const sure = await formDialog({
        title: "Delete this post for good?",
        detail: `Post ${id} and its images are removed for everyone.`,
        fields: [],
        confirmLabel: "Delete",
        danger: true,
        submit: () => api.del(`/admin/posts/${encodeURIComponent(id)}`),
      });
      if (!sure) return;
      formElement.reset();
      toast(`Post ${id} is deleted.`);
    },
  });
  element.querySelector("button[type=submit]").classList.replace("button-primary", "button-danger");
  return h(
    "section",
    { class: "card admin-section", "aria-labelledby": "admin-post-title" },
    h("h2", { id: "admin-post-title", text: "Delete a post" }),
    element,
  );
}

export default async function adminPage(ctx) {
  if (!ctx.user || !isAdmin()) return forbidden(ctx);
  ctx.title("Admin");
  return h("div", { class: "admin" }, h("h1", { text: "Admin" }), usersSection(ctx), deletePostSection());
}
