// Building the DOM without HTML strings: user text only ever becomes text nodes or attribute values.

/**
 * Creates an element. `props`: `class`, `text` (textContent), `on` ({event: handler}), `dataset`, and any other key as
 * an attribute (true → present, false/null/undefined → absent). Children: nodes, strings (text), arrays, null/false
 * (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (key === "text") element.textContent = String(value);
    else if (key === "on") for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else if (key === "dataset") for (const [name, data] of Object.entries(value)) element.dataset[name] = String(data);
    else if (key === "value" && "value" in element) element.value = value;
    else if (key === "checked" && "checked" in element) element.checked = Boolean(value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes every child of `element`. */
export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

/** Replaces the children of `element`. */
export function mount(element, ...children) {
  clear(element);
  append(element, children);
  return element;
}

// 24×24 outline icons, drawn from path data (no icon font, no third-party set).
const paths = {
  home: "M3 11 12 3l9 8v10h-6v-6H9v6H3z",
  new: "M12 3v18M3 12h18",
  trending: "M3 17l6-6 4 4 8-8M15 7h6v6",
  compose: "M4 4h16v16H4zM12 8v8M8 12h8",
  bell: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
  settings: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-2-4-2 1-2-1V5h-4v2l-2 1-2-1-2 4 2 1v0l-2 1 2 4 2-1 2 1v2h4v-2l2-1 2 1 2-4z",
  shield: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
  heart: "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z",
  comment: "M4 5h16v11H9l-5 4z",
  trash: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
  edit: "M4 20h4L19 9l-4-4L4 16zM13 7l4 4",
  close: "M6 6l12 12M18 6 6 18",
  left: "M15 5l-7 7 7 7",
  right: "M9 5l7 7-7 7",
  logout: "M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10",
};

/** An inline SVG icon, hidden from assistive technology (the control around it carries the label). */
export function icon(name) {
  const svg = h("svg:svg", { viewBox: "0 0 24 24", class: `icon icon-${name}`, "aria-hidden": "true", focusable: "false" });
  svg.append(h("svg:path", { d: paths[name] ?? "" }));
  return svg;
}
