package io.tenantml.registry;

/** An alias of a model and the version it points to now. */
public record AliasView(String alias, int version) {}
