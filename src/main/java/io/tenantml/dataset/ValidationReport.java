package io.tenantml.dataset;

import java.util.List;

/** @param status {@code passed} (nothing above info) or {@code warnings}; a refused upload carries {@code failed} */
public record ValidationReport(ValidationStatus status, long invalidRows, List<Anomaly> anomalies) {

    public ValidationReport {
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    }
}
