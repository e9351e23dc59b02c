import fc from "fast-check";
import { SEED } from "./hostile.js";

// vitest `setupFiles`: a property test that names no seed of its own still runs from a fixed one,
// so that any failure reproduces (each fc.assert's own `seed` wins over this default).
fc.configureGlobal({ seed: SEED });
