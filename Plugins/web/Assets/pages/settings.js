// Settings: profile, photo, email, password, where you are signed in, notifications, and deleting the account.
import { h, mount } from "../lib/dom.js";
import { api, describeError } from "../lib/api.js";
import { navigate } from "../lib/router.js";
import { currentUser, requireUser, setUser } from "../lib/session.js";
import { timeAgo } from "../lib/time.js";
import { field, form } from "../components/form.js";
import { formDialog } from "../components/form-dialog.js";
import { infiniteList } from "../components/infinite-list.js";
import { errorState, errorToast, loading, toast } from "../components/states.js";
import { avatar } from "../components/user.js";

const avatarMaxBytes = 8 * 1024 * 1024;
const avatarTypes = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/avif";
const bioMax = 500;

function section(id, title, ...children) {
  return h(
    "section",
    { class: "card settings-section", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title`, text: title }),
    children,
  );
}

/** "Chrome on Linux" from a user agent; the raw text when nothing is recognised. */
export function deviceName(userAgent) {
  const ua = userAgent ?? "";
  if (!ua) return "Unknown device";
  const browser =
    [
      [/Edg\//, "Edge"],
      [/OPR\/|Opera/, "Opera"],
      [/Firefox\//, "Firefox"],
      [/Chrom(e|ium)\//, "Chrome"],
      [/Safari\//, "Safari"],
      [/^curl\//, "curl"],
    ].find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  const system =
    [
      [/iPhone|iPad|iPod/, "iOS"],
      [/Android/, "Android"],
      [/Windows/, "Windows"],
      [/CrOS/, "ChromeOS"],
      [/Mac OS X|Macintosh/, "macOS"],
      [/Linux/, "Linux"],
    ].find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (ua.length > 60 ? `${ua.slice(0, 60)}…` : ua);
}

function profileSection(ctx) {
  const user = ctx.user;
  const name = field(
    "Display name",
    {
      name: "display_name",
      value: user.display_name ?? "",
      maxlength: 50,
      autocomplete: "name",
      hint: "Shown instead of your handle; leave it empty to use @" + user.handle + ".",
    },
  );
  const bio = field("Bio", { name: "bio", multiline: true, maxlength: bioMax, rows: 4, value: user.bio ?? "" });
  const counter = h("p", { class: "field-hint counter", "aria-live": "polite" });
  const countBio = () => (counter.textContent = `${[...bio.control.value].length} / ${bioMax}`);
  bio.control.addEventListener("input", countBio);
  countBio();
  bio.append(counter);
  const element = form({
    fields: [name, bio],
    submitLabel: "Save profile",
    dataset: { form: "profile" },
    submit: async (values) => {
      const displayName = values.display_name.trim();
      await api.patch("/me", { display_name: displayName || null, bio: values.bio.trim() });
      await ctx.refreshUser();
      toast("Your profile is saved.");
    },
  });
  return section(
    "profile",
    "Profile",
    h("p", { class: "settings-lead" }, "People see this on ", h("a", { href: `/u/${encodeURIComponent(user.handle)}`, text: "your profile" }), "."),
    element,
  );
}

function avatarSection(ctx) {
  const preview = h("div", { class: "avatar-preview" }, avatar(ctx.user, 96));
  const avatarField = field(
    "Choose a new photo",
    {
      name: "avatar",
      type: "file",
      accept: avatarTypes,
      hint: "A JPEG, PNG, WebP or GIF of at most 8 MB, cropped to a square. It is saved as soon as you choose it.",
    },
  );
  const input = avatarField.control;
  const progress = h("progress", { class: "upload-progress", max: 100, value: 0, hidden: true, "aria-label": "Uploading your photo" });
  let objectURL = null;
  const release = () => {
    if (objectURL) URL.revokeObjectURL(objectURL);
    objectURL = null;
  };
  ctx.onLeave(release);
  const showSaved = (user) => {
    release();
    mount(preview, avatar(user, 96));
  };
  // Choosing a file uploads it: a preview at once, a progress bar, then the saved square everywhere (the header too).
  input.addEventListener("change", async () => {
    avatarField.showError(null);
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > avatarMaxBytes) {
      input.value = "";
      return avatarField.showError("This file is larger than 8 MB: choose a smaller one.");
    }
    release();
    objectURL = URL.createObjectURL(file);
    mount(preview, h("img", { class: "avatar", src: objectURL, alt: "The photo you chose", width: 96, height: 96 }));
    const data = new FormData();
    data.append("avatar", file);
    progress.value = 0;
    progress.hidden = false;
    input.disabled = true;
    preview.setAttribute("aria-busy", "true");
    try {
      await api.upload("/me/avatar", data, (fraction) => (progress.value = Math.round(fraction * 100)), "PUT");
      showSaved((await ctx.refreshUser()) ?? ctx.user);
      toast("Your new photo is saved.");
    } catch (error) {
      showSaved(currentUser() ?? ctx.user);
      avatarField.showError(describeError(error));
    } finally {
      progress.hidden = true;
      input.disabled = false;
      input.value = "";
      preview.removeAttribute("aria-busy");
    }
  });
  return section(
    "avatar",
    "Profile photo",
    h("div", { class: "avatar-row" }, preview, h("div", { class: "avatar-controls", dataset: { form: "avatar" } }, avatarField, progress)),
  );
}

function emailSection(ctx) {
  const user = ctx.user;
  const status = h(
    "p",
    { class: "email-status", dataset: { emailVerified: String(Boolean(user.email_verified)) } },
    h("strong", { text: user.email ?? "" }),
    " ",
    h(
      "span",
      {
        class: ["status-chip", user.email_verified ? "status-chip-success" : "status-chip-warning"],
        text: user.email_verified ? "Confirmed" : "Not confirmed",
      },
    ),
  );
  const hint = user.email_verified ? null : h(
    "p",
    { class: "settings-lead", text: "Open the link we mailed you to confirm this address. No mail? Check your spam folder, or ask for a new link." },
  );
  const result = h("p", { class: "notice", role: "status", hidden: true });
  const resend = user.email_verified
    ? null
    : h("button", {
        type: "button",
        class: "button",
        dataset: { action: "resend-verification" },
        text: "Send the link again",
        on: {
          click: async () => {
            resend.disabled = true;
            try {
              const answer = await api.post("/auth/email/resend");
              result.textContent = answer?.message ?? "A new link is on its way.";
              result.hidden = false;
            } catch (error) {
              errorToast(error);
            } finally {
              resend.disabled = false;
            }
          },
        },
      });
  return section("email", "Email", status, hint, resend, result);
}

function passwordSection(ctx, sessions) {
  const current = field("Current password", { name: "current_password", type: "password", autocomplete: "current-password", required: true });
  const next = field(
    "New password",
    {
      name: "new_password",
      type: "password",
      autocomplete: "new-password",
      required: true,
      minlength: 8,
      hint: "At least 8 characters; not a common password, nor your handle or email.",
    },
  );
  const element = form({
    fields: [current, next],
    submitLabel: "Change password",
    dataset: { form: "password" },
    submit: async (values, formElement) => {
      if (values.new_password.length < 8) return next.showError("Use at least 8 characters.");
      await api.post("/auth/password/change", { current_password: values.current_password, new_password: values.new_password });
      formElement.reset();
      toast("Your password is changed. Your other devices were signed out.");
      sessions.reload?.();
    },
  });
  return section("password", "Password", h("p", { class: "settings-lead", text: "Changing it signs you out everywhere else." }), element);
}

function sessionsSection(ctx) {
  const list = infiniteList({
    fetchPage: (cursor, signal) => api.get("/auth/sessions", { cursor }, { signal }),
    renderItem: (session) => {
      const revoke = h("button", {
        type: "button",
        class: ["button", "button-small", session.current && "button-danger"],
        dataset: { action: "revoke" },
        text: session.current ? "Log out" : "Sign out",
        "aria-label": session.current ? "Log out of this device" : `Sign out ${deviceName(session.user_agent)}`,
      });
      const item = h(
        "li",
        { class: ["session", session.current && "current"], dataset: { sessionId: session.id } },
        h(
          "div",
          { class: "session-info" },
          h(
            "p",
            { class: "session-device" },
            h("strong", { text: deviceName(session.user_agent) }),
            session.current ? h("span", { class: "status-chip", dataset: { current: "" }, text: "This device" }) : null,
          ),
          h(
            "p",
            { class: "session-meta" },
            h("span", { text: session.ip || "Unknown address" }),
            " · Active ",
            timeAgo(session.last_seen_at),
            " · Signed in ",
            timeAgo(session.created_at),
          ),
        ),
        revoke,
      );
      item.title = session.user_agent ?? "";
      revoke.addEventListener("click", async () => {
        revoke.disabled = true;
        try {
          await api.del(`/auth/sessions/${encodeURIComponent(session.id)}`);
        } catch (error) {
          if (error?.status !== 404) {
            revoke.disabled = false;
            return errorToast(error);
          }
        }
        if (session.current) {
          setUser(null);
          toast("You are signed out of this device.");
          return navigate("/login", { replace: true });
        }
        item.remove();
        toast(`${deviceName(session.user_agent)} is signed out.`);
      });
      return item;
    },
    signal: ctx.signal,
    tag: "ul",
    className: "session-list",
    label: "Your sessions",
    empty: "No other sessions.",
  });
  return {
    element: section(
      "sessions",
      "Where you are signed in",
      h("p", { class: "settings-lead", text: "Sign out devices you no longer use or do not recognise." }),
      list,
    ),
    list,
  };
}

const notificationTypes = [
  ["like", "Likes on your posts"],
  ["comment", "Comments on your posts"],
  ["reply", "Replies to your comments"],
  ["mention", "Mentions of you"],
  ["follow", "New followers"],
];

function notificationSection(ctx) {
  const body = h("div", {}, loading("Loading your notification settings…"));
  async function load() {
    mount(body, loading("Loading your notification settings…"));
    let settings;
    try {
      settings = await api.get("/notifications/settings", null, { signal: ctx.signal });
    } catch (error) {
      if (error?.name === "AbortError") return;
      return mount(body, errorState(error, load));
    }
    const boxes = notificationTypes.map(([name, label]) => {
      const id = `notify-${name}`;
      const box = h("input", { type: "checkbox", id, name, checked: settings?.[name] !== false });
      box.addEventListener("change", async () => {
        const wanted = box.checked;
        box.disabled = true;
        try {
          const answer = await api.patch("/notifications/settings", { [name]: wanted });
          box.checked = answer?.[name] ?? wanted;
          toast(`${label}: ${box.checked ? "on" : "off"}.`);
        } catch (error) {
          box.checked = !wanted;
          errorToast(error);
        } finally {
          box.disabled = false;
        }
      });
      return h("div", { class: "switch" }, box, h("label", { for: id, text: label }));
    });
    mount(body, h("fieldset", { class: "switches" }, h("legend", { class: "visually-hidden", text: "Notify me about" }), boxes));
  }
  load();
  return section(
    "notification-settings",
    "Notifications",
    h("p", { class: "settings-lead", text: "Choose what you are notified about. Changes are saved at once." }),
    body,
  );
}

function deleteSection(ctx) {
  const button = h("button", { type: "button", class: "button button-danger", dataset: { action: "delete-account" }, text: "Delete my account" });
  button.addEventListener("click", async () => {
    const password = field("Your password", { name: "password", type: "password", autocomplete: "current-password", required: true });
    const deleted = await formDialog({
      title: "Delete your account?",
      detail: "Your profile, photos, posts, comments and likes go for good. This cannot be undone.",
      fields: [password],
      confirmLabel: "Delete my account",
      danger: true,
      dataset: { form: "delete-account" },
      submit: async (values) => {
        if (!values.password) {
          password.showError("Enter your password to confirm.");
          return false;
        }
        await api.del("/me", { password: values.password });
        // Other tabs see their stream end and look for the profile: this says it was deleted, not banned.
        localStorage.setItem("ia-deleted", ctx.user.handle);
        return true;
      },
    });
    if (deleted !== true) return;
    setUser(null);
    navigate("/", { replace: true });
    toast("Your account is deleted. Goodbye!");
  });
  return section(
    "delete",
    "Delete account",
    h("p", { class: "settings-lead", text: "Deleting your account removes everything you shared." }),
    button,
  );
}

export default async function settingsPage(ctx) {
  ctx.title("Settings");
  if (!requireUser()) return null;
  const sessions = sessionsSection(ctx);
  const sections = [
    profileSection(ctx),
    avatarSection(ctx),
    emailSection(ctx),
    passwordSection(ctx, sessions.list),
    sessions.element,
    notificationSection(ctx),
    deleteSection(ctx),
  ];
  const toc = h(
    "nav",
    { class: "settings-nav", "aria-label": "Settings sections" },
    sections.map((element) => h("a", { href: `#${element.id}`, text: element.querySelector("h2").textContent })),
  );
  // Links to a section (#notification-settings from the notifications page) scroll to it once it is on screen.
  if (location.hash) requestAnimationFrame(() => document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView());
  return h("div", { class: "settings" }, h("h1", { text: "Settings" }), toc, h("div", { class: "settings-sections" }, sections));
}
