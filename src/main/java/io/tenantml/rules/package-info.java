/**
 * Monitoring rules: per model, which signals of its judged monitoring windows (dataset drift share, drift of
 * named features, skew rates, traffic falling to zero, realised or estimated performance below a floor or the
 * validation figure) lead to which actions ({@code alert}: a {@code monitoring.*} tenant event; {@code retrain}:
 * a training through the normal path and gate), with a minimum run of consecutive windows, hysteresis and a
 * cooldown per rule; and the watch of a version a retrain promoted, which moves production back when the version
 * performs worse than the one before it ({@link io.tenantml.rules.PromotionWatch}). Sits above {@code monitoring} (told
 * of each window run through its {@link io.tenantml.monitoring.WindowListener}) and {@code training}.
 */
package io.tenantml.rules;
