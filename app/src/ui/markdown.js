// The markdown module (frontend/markdown, built by Trunk as `markdown.js` and
// `markdown_bg.wasm` next to the index): imported once, the first time the page has
// markdown to show.
let module = null;
let loading = null;

export function loadMarkdown(url) {
  loading ??= import(url)
    .then(async (loaded) => {
      await loaded.default();
      module = loaded;
    })
    .catch((failure) => {
      // Offline with nothing cached: the next markdown to show tries again.
      loading = null;
      throw failure;
    });
  return loading;
}

export function renderMarkdown(text) {
  return module.to_safe_html(text);
}
