package io.tenantml.model;

/**
 * Which target values are the positive class of a binary model. Exactly one applies: {@code above} for a
 * numeric target (positive when value > above, e.g. a delay over 15 minutes), {@code equals} for a
 * categorical or text target. A boolean target needs neither (true is positive).
 */
public record PositiveClass(Double above, String equals) {

    public PositiveClass {
        if ((above == null) == (equals == null)) {
            throw new InvalidSpecException("positive", "positive needs exactly one of 'above' or 'equals'");
        }
    }
}
