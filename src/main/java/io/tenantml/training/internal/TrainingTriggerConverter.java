package io.tenantml.training.internal;

import io.tenantml.shared.WireNameConverter;
import io.tenantml.training.TrainingTrigger;
import jakarta.persistence.Converter;

@Converter
public class TrainingTriggerConverter extends WireNameConverter<TrainingTrigger> {
    public TrainingTriggerConverter() {
        super(TrainingTrigger::wireName, TrainingTrigger::fromWire);
    }
}
