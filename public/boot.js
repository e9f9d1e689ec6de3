// Starts Spacetrace without an inline script, so the strict Content-Security-Policy in
// index.html (script-src 'self' 'wasm-unsafe-eval') allows it. Trunk writes the script tag
// that loads this file (Trunk.toml, `pattern_script`) with the hashed names of the app's
// JavaScript glue and WebAssembly module in its data attributes.
const tag = document.querySelector('script[data-spacetrace-js]');
const { default: init } = await import(tag.dataset.spacetraceJs);
await init({ module_or_path: tag.dataset.spacetraceWasm });
