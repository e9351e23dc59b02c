// The InstantSearch page: instantsearch.js and the Algolia lite client exactly as a site would use
// them, with the client's host set to this server (see README "Use your InstantSearch UI").
/* global instantsearch */
(async function main() {
  const { liteClient } = window["algoliasearch/lite"];
  const config = await (await fetch("/instantsearch/config.json")).json();
  const searchClient = liteClient(config.appId, config.apiKey, {
    hosts: [{ url: location.host, accept: "readWrite", protocol: location.protocol.replace(":", "") }],
  });
  const { configure, searchBox, hits, refinementList, pagination, sortBy, stats, relatedProducts } =
    instantsearch.widgets;
  const search = instantsearch({
    indexName: config.indexName,
    searchClient,
    future: { preserveSharedStateOnUnmount: true },
  });

  search.addWidgets([
    configure({ hitsPerPage: 5, attributesToSnippet: ["body:24"], snippetEllipsisText: "…" }),
    searchBox({ container: "#searchbox", placeholder: "Search articles…", showSubmit: false }),
    stats({ container: "#stats" }),
    sortBy({
      container: "#sort",
      items: [
        { label: "Relevance", value: config.indexName },
        { label: "Recently reviewed", value: `${config.indexName}_recent` },
        { label: "Most read", value: `${config.indexName}_popular` },
      ],
    }),
    refinementList({
      container: "#stack",
      attribute: "stack",
      searchable: true,
      searchablePlaceholder: "Find a stack…",
    }),
    refinementList({
      container: "#tools",
      attribute: "tools",
      searchable: true,
      searchablePlaceholder: "Find a tool…",
    }),
    refinementList({ container: "#difficulty", attribute: "difficulty" }),
    refinementList({
      container: "#scenario",
      attribute: "scenario",
      searchable: true,
      searchablePlaceholder: "Find a scenario…",
    }),
    hits({
      container: "#hits",
      templates: {
        empty: (results, { html }) => html`<p class="empty">No posts match “${results.query}”.</p>`,
        item: (hit, { html, components }) => html`
          <article class="hit" data-id="${hit.objectID}">
            <h3>${components.Highlight({ hit, attribute: "title" })}</h3>
            <p class="snippet">${components.Snippet({ hit, attribute: "body" })}</p>
            <p class="meta">${hit.stack.join(", ")}${hit.difficulty ? ` · ${hit.difficulty}` : ""}</p>
            <button type="button" class="similar" data-id="${hit.objectID}" data-title="${hit.title}">
              Similar posts
            </button>
          </article>
        `,
      },
    }),
    pagination({ container: "#pagination", padding: 2 }),
  ]);

  let related;
  document.querySelector("#hits").addEventListener("click", (event) => {
    const button = event.target.closest("button.similar");
    if (button === null) return;
    document.querySelector("#related-for").textContent = `Posts like “${button.dataset.title}”`;
    if (related !== undefined) search.removeWidgets([related]);
    related = relatedProducts({
      container: "#related",
      objectIDs: [button.dataset.id],
      limit: 5,
      templates: {
        header: () => "",
        empty: (_, { html }) => html`<p class="empty">No similar posts.</p>`,
        item: (item, { html }) => html`
          <article class="related-item" data-id="${item.objectID}">
            <h3>${item.title}</h3>
            <p class="meta">
              score ${Math.round(item._score)} · shares ${(item.shared || []).map((entity) => entity.name).join(", ")}
            </p>
          </article>
        `,
      },
    });
    search.addWidgets([related]);
  });

  search.start();
})().catch((error) => {
  document.body.insertAdjacentHTML("afterbegin", '<p class="error" role="alert"></p>');
  document.querySelector(".error").textContent = `The search could not start: ${error.message}`;
});
