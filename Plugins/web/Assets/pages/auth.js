// Signing up, logging in, and the pages auth's mail links open (verify email, reset password).
import { h } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { navigate, safeNext } from "../lib/router.js";
import { refreshUser } from "../lib/session.js";
import { field, form } from "../components/form.js";
import { toast } from "../components/states.js";

function card(title, ...children) {
  return h("section", { class: "page-narrow card auth-card" }, h("h1", { text: title }), children);
}

export function login(ctx) {
  ctx.title("Log in");
  const loginField = field("Handle or email", { name: "login", autocomplete: "username", required: true, autocapitalize: "none" });
  const passwordField = field("Password", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const element = form({
    fields: [loginField, passwordField],
    submitLabel: "Log in",
    dataset: { form: "login" },
    submit: async (values) => {
      await api.post("/auth/login", { login: values.login.trim(), password: values.password });
      await refreshUser();
      navigate(safeNext(ctx.query.next), { replace: true });
    },
  });
  const notice =
    ctx.query.session === "banned"
      ? "This account is banned. If you think this is a mistake, contact the site's administrators."
      : ctx.query.session === "ended"
        ? "Your session has ended. Please log in again."
        : null;
  return card(
    "Log in",
    notice ? h("p", { class: "notice", role: "alert", text: notice }) : null,
    element,
    h(
      "p",
      { class: "card-links" },
      h("a", { href: "/forgot-password", text: "Forgot your password?" }),
      " · ",
      h("a", { href: `/signup${location.search}`, text: "Create an account" }),
    ),
  );
}

export function signup(ctx) {
  ctx.title("Sign up");
  const fields = [
    field("Handle", {
      name: "handle",
      autocomplete: "username",
      required: true,
      autocapitalize: "none",
      minlength: 3,
      maxlength: 30,
      pattern: "[A-Za-z0-9_]{3,30}",
      hint: "3 to 30 letters, digits or underscores. People find you by it.",
    }),
    field("Display name (optional)", { name: "display_name", autocomplete: "name", maxlength: 50 }),
    field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
    field("Password", {
      name: "password",
      type: "password",
      autocomplete: "new-password",
      required: true,
      minlength: 8,
      hint: "At least 8 characters; avoid common passwords.",
    }),
  ];
  const element = form({
    fields,
    submitLabel: "Create account",
    dataset: { form: "signup" },
    submit: async (values) => {
      const body = { handle: values.handle.trim(), email: values.email.trim(), password: values.password };
      if (values.display_name.trim()) body.display_name = values.display_name.trim();
      await api.post("/auth/register", body);
      await refreshUser();
      toast("Welcome! We sent you a link to confirm your email address.");
      navigate(safeNext(ctx.query.next), { replace: true });
    },
  });
  return card("Create your account", element, h("p", { class: "card-links" }, "Have an account? ", h("a", { href: "/login", text: "Log in" })));
}

export function forgot(ctx) {
  ctx.title("Reset your password");
  const done = h("p", { class: "notice", role: "status", hidden: true });
  const element = form({
    fields: [field("Email", { name: "email", type: "email", autocomplete: "email", required: true })],
    submitLabel: "Send me a link",
    dataset: { form: "forgot" },
    submit: async (values) => {
      const answer = await api.post("/auth/password/forgot", { email: values.email.trim() });
      done.textContent = answer?.message ?? "If an account has this address, a link to reset its password is on its way.";
      done.hidden = false;
    },
  });
  return card("Reset your password", h("p", { text: "We will email you a link to choose a new password." }), element, done);
}

export function reset(ctx) {
  ctx.title("Choose a new password");
  const token = ctx.query.token ?? "";
  // The token is in the address bar: take it out of history and of any Referer before anything else loads.
  history.replaceState(history.state, "", "/reset-password");
  if (!token) return card("Choose a new password", h("p", { role: "alert", text: "This link is incomplete. Ask for a new one." }), h("a", { href: "/forgot-password", text: "Send me a new link" }));
  const password = field("New password", { name: "password", type: "password", autocomplete: "new-password", required: true, minlength: 8 });
  const confirmation = field("New password again", { name: "password_confirmation", type: "password", autocomplete: "new-password", required: true });
  const element = form({
    fields: [password, confirmation],
    submitLabel: "Change password",
    dataset: { form: "reset" },
    submit: async (values) => {
      if (values.password !== values.password_confirmation) {
        confirmation.showError("The two passwords differ.");
        return;
      }
      await api.post("/auth/password/reset", { token, password: values.password });
      await refreshUser();
      toast("Your password is changed. Log in with it.");
      navigate("/login", { replace: true });
    },
  });
  return card("Choose a new password", element);
}

export function verify(ctx) {
  ctx.title("Confirm your email address");
  const token = ctx.query.token ?? "";
  history.replaceState(history.state, "", "/verify-email");
  if (!token) return card("Confirm your email address", h("p", { role: "alert", text: "This link is incomplete. Ask for a new one from Settings." }));
  // Opening the link changes nothing (mail scanners open links); the button does.
  const result = h("div", { role: "status" });
  const element = form({
    fields: [],
    submitLabel: "Confirm my email address",
    dataset: { form: "verify" },
    submit: async () => {
      await api.post("/auth/email/verify", { token });
      element.hidden = true;
      result.append(h("p", { class: "notice", text: "Thank you: your email address is confirmed." }), h("a", { class: "button", href: "/", text: "Continue" }));
      await refreshUser();
    },
  });
  return card("Confirm your email address", h("p", { text: "Confirm that this email address is yours." }), element, result);
}
