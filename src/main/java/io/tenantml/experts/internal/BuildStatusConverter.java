package io.tenantml.experts.internal;

import io.tenantml.experts.BuildStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class BuildStatusConverter implements AttributeConverter<BuildStatus, String> {
    @Override
    public String convertToDatabaseColumn(BuildStatus status) {
        return status == null ? null : status.wireName();
    }

    @Override
    public BuildStatus convertToEntityAttribute(String value) {
        return value == null ? null : BuildStatus.fromWire(value);
    }
}
