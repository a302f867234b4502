/**
 * Reporting: operators' reports that join what several features know, above all of them; today the cost of each
 * tenant's models (from {@code usage}'s metered, priced usage and the registry's stored artifacts) beside what they
 * return (volume served, validation lift over the baseline,
 * realised performance from feedback as {@code monitoring} computes it).
 */
package io.tenantml.reporting;
