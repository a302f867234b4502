/**
 * Monitoring rules: per model, which signals of its judged monitoring windows (dataset drift share, drift of
 * named features, skew rates, traffic falling to zero) lead to which actions ({@code alert}: a
 * {@code monitoring.*} tenant event; {@code retrain}: a training through the normal path and gate), with a
 * minimum run of consecutive windows, hysteresis and a cooldown per rule. Sits above {@code monitoring} (told
 * of each window run through its {@link io.tenantml.monitoring.WindowListener}) and {@code training}.
 */
package io.tenantml.rules;
