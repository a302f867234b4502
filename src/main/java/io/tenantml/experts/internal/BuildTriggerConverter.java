package io.tenantml.experts.internal;

import io.tenantml.experts.BuildTrigger;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class BuildTriggerConverter implements AttributeConverter<BuildTrigger, String> {
    @Override
    public String convertToDatabaseColumn(BuildTrigger trigger) {
        return trigger == null ? null : trigger.wireName();
    }

    @Override
    public BuildTrigger convertToEntityAttribute(String value) {
        return value == null ? null : BuildTrigger.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
