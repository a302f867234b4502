package io.tenantml.experts.internal;

import io.tenantml.experts.BuildPhase;
import io.tenantml.shared.WireNameConverter;
import jakarta.persistence.Converter;

@Converter
public class BuildPhaseConverter extends WireNameConverter<BuildPhase> {
    public BuildPhaseConverter() {
        super(BuildPhase::wireName, BuildPhase::fromWire);
    }
}
