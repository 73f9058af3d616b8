// Profiles (/u/:handle): who the person is, their counts, follow/unfollow and a grid of their posts; and the lists of
// their followers and of whom they follow.
import { h, icon, mount } from "../lib/dom.js";
import { renderCaption } from "../lib/caption.js";
import { api } from "../lib/api.js";
import { avatar, userLink } from "../components/user.js";
import { infiniteList } from "../components/infinite-list.js";
import { followButton } from "../components/follow-button.js";
import { emptyState } from "../components/states.js";
import { gridItem } from "./tag.js";

const exact = new Intl.NumberFormat();
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const joined = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });

/** 1,234 up to 9,999, then 12K, 1.2M (the exact number in the title). */
export function formatCount(value) {
  const number = Number(value) || 0;
  return number < 10_000 ? exact.format(number) : compact.format(number);
}

function plural(count, one, many) {
  return count === 1 ? one : many;
}

const handlePath = (handle) => `/u/${encodeURIComponent(handle)}`;

/** The profile of `handle`, or null when there is no such (visible) account. */
async function loadProfile(handle, signal) {
  try {
    return await api.get(`/users/${encodeURIComponent(handle)}`, null, { signal });
  } catch (error) {
    if (error?.status === 404) return null;
    throw error;
  }
}

function missing(ctx, handle) {
  ctx.title("Account not found");
  return h(
    "section",
    { class: "state profile-missing", dataset: { state: "not-found" } },
    h("h1", { text: "This account does not exist" }),
    h("p", { text: `Nobody goes by @${handle} here: the handle may have changed, or the account was removed.` }),
    h("a", { class: "button", href: "/", text: "Go home" }),
  );
}

function displayName(user) {
  return user.display_name || user.handle;
}

function countItem(count, one, many, href, name) {
  const value = Number(count) || 0;
  const number = h("strong", { dataset: { count: name }, title: exact.format(value), text: formatCount(value), "aria-live": href ? "polite" : null });
  const words = h("span", { text: ` ${plural(value, one, many)}` });
  const item = href ? h("a", { href }, number, words) : h("span", {}, number, words);
  item.update = (next) => {
    number.textContent = formatCount(next);
    number.title = exact.format(next);
    words.textContent = ` ${plural(next, one, many)}`;
  };
  return h("li", {}, item);
}

export async function profile(ctx) {
  const handle = ctx.params.handle;
  const person = await loadProfile(handle, ctx.signal);
  if (!person) return missing(ctx, handle);
  ctx.title(`${displayName(person)} (@${person.handle})`);
  // Handles match in any case: show the address as the person spells it.
  if (person.handle !== handle) history.replaceState(history.state, "", handlePath(person.handle) + location.search);
  const own = ctx.user && ctx.user.id === person.id;
  const counts = person.counts ?? {};
  const path = handlePath(person.handle);

  const followers = countItem(counts.followers, "follower", "followers", `${path}/followers`, "followers");
  const actions = h("div", { class: "profile-actions" });
  if (own) {
    actions.append(h("a", { class: "button", href: "/settings", dataset: { action: "edit-profile" }, text: "Edit profile" }));
  } else if (ctx.user) {
    actions.append(
      followButton(person.handle, {
        following: person.relationship?.following,
        followsYou: person.relationship?.followed_by,
        onChange: (answer) => {
          if (Number.isFinite(answer?.followers_count)) followers.firstChild.update(answer.followers_count);
        },
      }),
    );
  } else {
    actions.append(h("a", { class: "button button-primary", href: `/login?next=${encodeURIComponent(path)}`, text: "Follow" }));
  }

  const created = new Date(person.created_at);
  const header = h(
    "header",
    { class: "profile-header" },
    h("div", { class: "profile-avatar" }, avatar(person, 150)),
    h(
      "div",
      { class: "profile-info" },
      h(
        "div",
        { class: "profile-names" },
        h("h1", { text: displayName(person) }),
        h(
          "p",
          { class: "profile-handle" },
          h("span", { text: `@${person.handle}` }),
          person.relationship?.followed_by ? h("span", { class: "status-chip", dataset: { followsYou: "" }, text: "Follows you" }) : null,
        ),
      ),
      actions,
      h(
        "ul",
        { class: "profile-counts", "aria-label": "Counts" },
        countItem(counts.posts, "post", "posts", null, "posts"),
        followers,
        countItem(counts.following, "following", "following", `${path}/following`, "following"),
      ),
      // Text, with its links, #tags and @mentions made links (never parsed as HTML).
      person.bio ? h("p", { class: "profile-bio" }, renderCaption(person.bio)) : null,
      Number.isNaN(created.getTime()) ? null : h("p", { class: "profile-joined", text: `Joined ${joined.format(created)}` }),
    ),
  );

  const grid = infiniteList({
    fetchPage: (cursor, signal) => api.get(`/users/${encodeURIComponent(person.handle)}/posts`, { cursor }, { signal }),
    renderItem: gridItem,
    // Back from a post, the grid is as it was (and where it was) at once.
    cacheKey: `profile ${person.id}`,
    signal: ctx.signal,
    className: "post-grid profile-grid",
    label: `Posts by @${person.handle}`,
    empty: () =>
      own
        ? emptyState("Share your first photo: it shows up here.", h("a", { class: "button button-primary", href: "/compose", text: "New post" }))
        : emptyState(`@${person.handle} has not posted yet.`),
  });

  return h("div", { class: "profile" }, header, h("h2", { class: "visually-hidden", text: "Posts" }), grid);
}

/** A list of people (followers or following) with a follow button on each row. */
function peoplePage(kind) {
  return async (ctx) => {
    const handle = ctx.params.handle;
    const person = await loadProfile(handle, ctx.signal);
    if (!person) return missing(ctx, handle);
    const title = kind === "followers" ? "Followers" : "Following";
    ctx.title(`${title} · @${person.handle}`);
    const me = ctx.user;

    // A signed-in viewer's lists carry each person's `relationship`; without it (an older server), ask the profile.
    const actionFor = (user) => {
      const slot = h("div", { class: "person-action" });
      if (!me || me.id === user.id) return slot;
      const draw = (relationship) => {
        if (ctx.signal.aborted) return;
        const following = Boolean(relationship?.following);
        const followsYou = Boolean(relationship?.followed_by);
        mount(slot, followButton(user.handle, { following, followsYou, small: true }));
      };
      if (user.relationship) {
        draw(user.relationship);
      } else {
        loadProfile(user.handle, ctx.signal).then((profile) => draw(profile?.relationship), () => {});
      }
      return slot;
    };

    const list = infiniteList({
      fetchPage: (cursor, signal) => api.get(`/users/${encodeURIComponent(person.handle)}/${kind}`, { cursor }, { signal }),
      renderItem: (user) => h(
        "li",
        { class: "person", dataset: { handle: user.handle } },
        userLink(user, { withAvatar: true, size: 44 }),
        actionFor(user),
      ),
      signal: ctx.signal,
      tag: "ul",
      className: "people-list",
      label: title,
      empty:
        kind === "followers"
          ? `Nobody follows @${person.handle} yet.`
          : `@${person.handle} does not follow anyone yet.`,
    });
    const path = handlePath(person.handle);
    return h(
      "section",
      { class: "people-page" },
      h("a", { class: "back-link", href: path }, icon("left"), h("span", { text: `@${person.handle}` })),
      h("h1", { text: `${displayName(person)} · ${title}` }),
      h(
        "nav",
        { class: "tabs", "aria-label": "Lists" },
        h("a", { class: "tab", href: `${path}/followers`, "aria-current": kind === "followers" ? "page" : null, text: "Followers" }),
        h("a", { class: "tab", href: `${path}/following`, "aria-current": kind === "following" ? "page" : null, text: "Following" }),
      ),
      list,
    );
  };
}

export const followers = peoplePage("followers");
export const following = peoplePage("following");
