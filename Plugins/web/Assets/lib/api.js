// The JSON API client: same-origin cookies, the CSRF header on unsafe requests, errors as ApiError.

const base = "/api/v1";

let unauthorizedHandler = null;

/** Sets what happens when an answer says the caller is not signed in (401): the session ended elsewhere. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** An error answer of the API (`{"error": {code, message, details}}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, code, message, details = {}, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? {};
    this.retryAfter = retryAfter;
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)ia_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function url(path, query) {
  const target = new URL(base + path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== "") target.searchParams.set(key, value);
  }
  return target.pathname + target.search;
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = body?.error ?? {};
  const retry = Number(response.headers.get("Retry-After"));
  return new ApiError(
    response.status,
    error.code ?? `http_${response.status}`,
    error.message ?? `The server answered ${response.status}.`,
    error.details,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

async function request(method, path, { json, body, query, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken();
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body, signal, credentials: "same-origin" });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "network_error", "The server cannot be reached. Check your connection and try again.");
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (error.status === 401) unauthorizedHandler?.(error);
    throw error;
  }
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") ?? "";
  return type.includes("json") ? response.json() : null;
}

/** Sends multipart `form` with upload progress (fetch has none): `onProgress(fraction)`. */
function upload(path, form, onProgress, method = "POST") {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, base + path);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const error = body?.error ?? {};
      const retry = Number(xhr.getResponseHeader("Retry-After"));
      reject(
        new ApiError(
          xhr.status,
          error.code ?? `http_${xhr.status}`,
          error.message ?? `The server answered ${xhr.status}.`,
          error.details,
          Number.isFinite(retry) && retry > 0 ? retry : null,
        ),
      );
    });
    xhr.addEventListener("error", () =>
      reject(new ApiError(0, "network_error", "The upload failed: the server cannot be reached.")),
    );
    xhr.send(form);
  });
}

export const api = {
  get: (path, query, options = {}) => request("GET", path, { ...options, query }),
  post: (path, json, options = {}) => request("POST", path, { ...options, json }),
  put: (path, json, options = {}) => request("PUT", path, { ...options, json }),
  patch: (path, json, options = {}) => request("PATCH", path, { ...options, json }),
  del: (path, json, options = {}) => request("DELETE", path, { ...options, json }),
  upload,
};

/** A sentence for the person: what went wrong and what to do; rate limits and overload named as such. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.status === 429) {
    const wait = error.retryAfter ? ` Try again in ${formatWait(error.retryAfter)}.` : " Try again in a moment.";
    return `You are doing that too often.${wait}`;
  }
  if (error.status === 503) return "The server is busy right now. Please try again in a few seconds.";
  if (error.status >= 500) return "The server had a problem. Please try again.";
  return error.message;
}

function formatWait(seconds) {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/** The field messages of a 422 answer (`details`), for showing next to the inputs. */
export function fieldErrors(error) {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const out = {};
  for (const [field, message] of Object.entries(error.details ?? {})) {
    out[field] = Array.isArray(message) ? message.join(" ") : String(message);
  }
  return out;
}
