package io.tenantml.training.internal;

import io.tenantml.training.TrainingTrigger;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** The column keeps the wire names rows have always held, not the constant names. */
@Converter
public class TrainingTriggerConverter implements AttributeConverter<TrainingTrigger, String> {
    @Override
    public String convertToDatabaseColumn(TrainingTrigger trigger) {
        return trigger == null ? null : trigger.wireName();
    }

    @Override
    public TrainingTrigger convertToEntityAttribute(String value) {
        return value == null ? null : TrainingTrigger.fromWire(value);
    }
}
