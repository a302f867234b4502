package io.tenantml.shared;

import jakarta.persistence.AttributeConverter;
import java.util.function.Function;

/**
 * Stores an enum as its wire name (what the API says and the column's rows have always held), not its constant
 * name. A feature's converter is a subclass that names the two directions.
 */
public abstract class WireNameConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Function<E, String> toWire;
    private final Function<String, E> fromWire;

    protected WireNameConverter(Function<E, String> toWire, Function<String, E> fromWire) {
        this.toWire = toWire;
        this.fromWire = fromWire;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : toWire.apply(value);
    }

    @Override
    public E convertToEntityAttribute(String value) {
        return value == null ? null : fromWire.apply(value);
    }
}
