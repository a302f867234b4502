package io.tenantml.registry;

import java.util.List;

/**
 * What still needs a model version's file, asked before it is purged. The registry itself keeps the newest version
 * and every version an alias names; a feature that loads versions on its own implements this (a queued or running
 * batch prediction pinned to the version; a watch that may roll production back to it). Called for the tenant in
 * context, in the purge's transaction, with the version's row locked.
 */
public interface ModelVersionUse {

    /** Each use of {@code version} of {@code model}, in words for the tenant; empty when there is none. */
    List<String> usesOf(String model, int version);
}
