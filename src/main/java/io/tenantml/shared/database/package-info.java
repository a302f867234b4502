/**
 * The two database roles: migrations run as the role that owns the schema, everything else as an application
 * role that owns nothing (created by migration V103). Flyway gets the owner's connection here.
 */
package io.tenantml.shared.database;
