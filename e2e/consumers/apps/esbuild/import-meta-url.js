// esbuild's documented `inject` + `define` shim: an iife has no `import.meta`, so the bundle's own
// URL stands in for it. `document.currentScript` is set only while the script first runs, which is
// when an injected module is evaluated.
export const importMetaUrl = document.currentScript.src
