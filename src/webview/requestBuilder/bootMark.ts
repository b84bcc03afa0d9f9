// Imported first by main.ts, so it runs before the UI library registers its custom elements:
// the time the bundle started executing, for the `firstPaint` breakdown posted to the host.
export const scriptStartMs = performance.now();
