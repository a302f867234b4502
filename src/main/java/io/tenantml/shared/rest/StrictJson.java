package io.tenantml.shared.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Refuses what Jackson would otherwise read as something the client did not send:
 *
 * <ul>
 *   <li>a JSON object that names a key twice ({@code {"role":"integration","role":"admin"}}): which of the two
 *       values wins is not defined by RFC 8259, so the body is ambiguous; left alone, Jackson either keeps the last
 *       or, for records, fails in a way Quarkus answers with an empty 500. With duplicate detection on, the parser
 *       stops at the second key and the client gets a 400 malformed-json naming it;
 *   <li>a fraction where an integer belongs ({@code {"k": 2.5}}): Jackson would truncate it to 2 and act on a
 *       number the client never sent. The lossless coercions stay ({@code "5"} for 5, {@code 1} for
 *       {@code "1"}: a class label sent as a number).
 * </ul>
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }
}
