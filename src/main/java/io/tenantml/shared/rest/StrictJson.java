package io.tenantml.shared.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Refuses a JSON object that names a key twice ({@code {"role":"integration","role":"admin"}}). Which of the two
 * values wins is not defined by RFC 8259, so a body that carries both is ambiguous; left alone, Jackson either
 * keeps the last or, for records, fails in a way Quarkus answers with an empty 500. With duplicate detection on,
 * the parser stops at the second key and the client gets a 400 malformed-json naming it.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
