package io.tenantml.experts.internal;

import io.tenantml.experts.BuildTrigger;
import io.tenantml.shared.WireNameConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

@Converter
public class BuildTriggerConverter extends WireNameConverter<BuildTrigger> {
    public BuildTriggerConverter() {
        super(BuildTrigger::wireName, value -> BuildTrigger.valueOf(value.toUpperCase(Locale.ROOT)));
    }
}
