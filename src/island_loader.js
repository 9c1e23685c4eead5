// Loads the islands' wasm when the browser is idle, then hydrates each island in a task of
// its own, so no single task blocks input for long. It follows Leptos 0.8's island protocol
// (an exported function per `<leptos-island data-component>`, and `$$on_hydrate` on the
// `<leptos-children>` an island sits in), but finds islands with one selector query
// instead of walking every element of the page.
((js, wasm) => {
  // What Leptos's inline data scripts would set; these pages send none (src/hydration.rs).
  window.__RESOLVED_RESOURCES ??= [];
  window.__SERIALIZED_ERRORS ??= [];
  window.__INCOMPLETE_CHUNKS ??= [];
  const idle = (run) => ("requestIdleCallback" in window ? requestIdleCallback(run) : setTimeout(run, 1));
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  idle(async () => {
    const mod = await import(js);
    await mod.default({ module_or_path: wasm });
    mod.hydrate();
    for (const island of document.querySelectorAll("leptos-island")) {
      await nextTask();
      const hydrateIsland = mod[island.dataset.component];
      if (!hydrateIsland) {
        console.warn(`No wasm function for the island ${island.dataset.component}.`);
        continue;
      }
      const children = island.parentElement && island.parentElement.closest("leptos-children");
      if (children && children.$$on_hydrate) children.$$on_hydrate();
      await hydrateIsland(island);
    }
  });
})
