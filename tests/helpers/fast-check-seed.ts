import { configureGlobal } from "fast-check";

// vitest `setupFiles`: a property test that names no seed of its own still runs from a fixed one,
// so that any failure reproduces (each fc.assert's own `seed` wins over this default; it is
// tests/helpers/hostile.ts's SEED, not imported from there to keep this file cheap to load).
configureGlobal({ seed: 20_251_125 });
