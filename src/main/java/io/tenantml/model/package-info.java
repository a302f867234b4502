/**
 * The vocabulary of a model shared by everything on the ML path: what it predicts ({@link
 * io.tenantml.model.Objective}), its XGBoost settings, how targets become labels, where it came from
 * (provenance) and the gate's verdict. Training writes these, the registry stores them, serving reads them;
 * this package depends on none of them (docs/architecture.md, "Allowed dependencies").
 */
package io.tenantml.model;
