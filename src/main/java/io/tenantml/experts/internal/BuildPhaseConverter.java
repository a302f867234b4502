package io.tenantml.experts.internal;

import io.tenantml.experts.BuildPhase;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** The column keeps the wire names rows have always held, not the constant names. */
@Converter
public class BuildPhaseConverter implements AttributeConverter<BuildPhase, String> {
    @Override
    public String convertToDatabaseColumn(BuildPhase phase) {
        return phase == null ? null : phase.wireName();
    }

    @Override
    public BuildPhase convertToEntityAttribute(String value) {
        return value == null ? null : BuildPhase.fromWire(value);
    }
}
