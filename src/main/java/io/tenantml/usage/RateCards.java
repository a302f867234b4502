package io.tenantml.usage;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The versioned rate card, managed by operators through the API ({@code PUT /api/v1/rate-cards/{version}}) and
 * stored in the database, so every node and every report sees the same prices and every version carries who wrote
 * it and when. A version is immutable: writing it again with the same content changes nothing, with other content
 * is a 409; versions are never deleted (a later version with a later effective day supersedes). All versions share
 * one currency, so costs of days under different versions add up.
 *
 * <p>The version in force for a UTC day is the one with the latest {@code effectiveFrom} on or before that day;
 * usage of a day before the first version, or of a meter the version in force does not price, costs 0 and is
 * reported as unpriced (a meter priced 0 is free, and not flagged).
 */
@ApplicationScoped
public class RateCards {

    /** Prices are stored with this many decimal places at most (numeric(24, 12)). */
    public static final int PRICE_SCALE = 12;

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final String LIST = "rate-cards";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    /** Whether {@link #put} wrote a new version or found the same one. */
    public record Written(RateCard card, boolean created) {}

    /** Writes a new version; the same content again is a no-op (created=false). */
    public Written put(String version, RateCardRequest request, String actor) {
        validate(version, request);
        Map<String, BigDecimal> prices = new TreeMap<>(request.prices());
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                // one writer at a time: the currency and effective-day checks read the other versions
                try (PreparedStatement lock = c.prepareStatement("lock table rate_card in share row exclusive mode")) {
                    lock.execute();
                }
                Optional<RateCard> existing = find(c, version);
                if (existing.isPresent()) {
                    if (same(existing.get(), request, prices)) {
                        return new Written(existing.get(), false);
                    }
                    throw new ProblemException(Problem.of(
                                    409,
                                    "rate-card-immutable",
                                    "Conflict",
                                    "rate card " + version + " exists with other content; versions are immutable,"
                                            + " write a new version with a later effective day")
                            .with("version", version));
                }
                try (PreparedStatement ps = c.prepareStatement("select version, currency, effective_from from rate_card"
                        + " where effective_from = ? or currency <> ? limit 1")) {
                    ps.setDate(1, Date.valueOf(request.effectiveFrom()));
                    ps.setString(2, request.currency());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            if (!rs.getString(2).equals(request.currency())) {
                                throw new ProblemException(Problem.of(
                                                409,
                                                "rate-card-currency",
                                                "Conflict",
                                                "every rate card version is in " + rs.getString(2) + " ("
                                                        + rs.getString(1) + "), this one in " + request.currency())
                                        .with("field", "currency"));
                            }
                            throw new ProblemException(Problem.of(
                                            409,
                                            "rate-card-effective-date-taken",
                                            "Conflict",
                                            "version " + rs.getString(1) + " is already effective from "
                                                    + request.effectiveFrom())
                                    .with("field", "effectiveFrom"));
                        }
                    }
                }
                java.time.Instant now = clock.instant();
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into rate_card (version, effective_from, currency, note, created_at, created_by)"
                                + " values (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, version);
                    ps.setDate(2, Date.valueOf(request.effectiveFrom()));
                    ps.setString(3, request.currency());
                    ps.setString(4, request.note());
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.setString(6, actor);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into rate_card_price (version, meter, unit_price) values (?, ?, ?)")) {
                    for (Map.Entry<String, BigDecimal> p : prices.entrySet()) {
                        ps.setString(1, version);
                        ps.setString(2, p.getKey());
                        ps.setBigDecimal(3, p.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return new Written(find(c, version).orElseThrow(), true);
            } catch (SQLException e) {
                throw new IllegalStateException("rate card " + version + " not written", e);
            }
        });
    }

    /** @throws ProblemException 404 when there is no such version */
    public RateCard get(String version) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, version).orElseThrow(() -> ProblemException.notFound("no rate card version " + version));
        } catch (SQLException e) {
            throw new IllegalStateException("rate card " + version + " not read", e);
        }
    }

    /** Every version, latest effective day first. */
    public Page<RateCard> list(PageRequest page) {
        List<String> after = page.after(LIST, 1);
        List<String> versions = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select version from rate_card"
                        + (after == null ? "" : " where effective_from < ?")
                        + " order by effective_from desc limit ?")) {
            int p = 1;
            if (after != null) {
                // a forged cursor's day may lie outside what PostgreSQL stores
                LocalDate last = PageRequest.value(after.get(0), text -> {
                    LocalDate day = LocalDate.parse(text);
                    if (day.getYear() < 1 || day.getYear() > 9999) {
                        throw new IllegalArgumentException("day out of range: " + text);
                    }
                    return day;
                });
                ps.setDate(p++, Date.valueOf(last));
            }
            ps.setInt(p, page.fetchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(rs.getString(1));
                }
            }
            List<RateCard> cards = new ArrayList<>();
            for (String v : versions) {
                cards.add(find(c, v).orElseThrow());
            }
            return page.page(cards, LIST, r -> List.of(r.effectiveFrom().toString()));
        } catch (SQLException e) {
            throw new IllegalStateException("rate cards not read", e);
        }
    }

    /** The currency of every version, empty before the first one. */
    public Optional<String> currency() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select currency from rate_card limit 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("rate cards not read", e);
        }
    }

    private static Optional<RateCard> find(Connection c, String version) throws SQLException {
        RateCard header;
        try (PreparedStatement ps = c.prepareStatement(
                "select version, effective_from, currency, note, created_at, created_by from rate_card where version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                header = new RateCard(
                        rs.getString(1),
                        rs.getDate(2).toLocalDate(),
                        rs.getString(3),
                        Map.of(),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getString(6));
            }
        }
        Map<String, String> prices = new TreeMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("select meter, unit_price from rate_card_price where version = ? order by meter")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    prices.put(
                            rs.getString(1),
                            rs.getBigDecimal(2).stripTrailingZeros().toPlainString());
                }
            }
        }
        return Optional.of(new RateCard(
                header.version(),
                header.effectiveFrom(),
                header.currency(),
                prices,
                header.note(),
                header.createdAt(),
                header.createdBy()));
    }

    private static boolean same(RateCard existing, RateCardRequest request, Map<String, BigDecimal> prices) {
        if (!existing.effectiveFrom().equals(request.effectiveFrom())
                || !existing.currency().equals(request.currency())
                || !Objects.equals(existing.note(), request.note())
                || existing.prices().size() != prices.size()) {
            return false;
        }
        for (Map.Entry<String, BigDecimal> p : prices.entrySet()) {
            String stored = existing.prices().get(p.getKey());
            if (stored == null || new BigDecimal(stored).compareTo(p.getValue()) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void validate(String version, RateCardRequest request) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw ProblemException.badParameter(
                    "invalid-parameter",
                    "version",
                    "version must be 1 to 40 letters, digits, '.', '_' or '-', was '" + version + "'");
        }
        int year = request.effectiveFrom().getYear();
        if (year < 1 || year > 9999) {
            throw invalid("effectiveFrom", "effectiveFrom must be a day in the years 0001 to 9999, was " + year);
        }
        if (request.prices().isEmpty()) {
            // immutable once written: an empty version would hold its effective day and price nothing
            throw invalid(
                    "prices",
                    "a rate card must price at least one meter (the meters it leaves out cost nothing, and cost"
                            + " reports flag their usage as unpriced; a price of 0 makes a meter free)");
        }
        for (Map.Entry<String, BigDecimal> p : request.prices().entrySet()) {
            String field = "prices." + p.getKey();
            if (Meter.find(p.getKey()) == null) {
                throw invalid(field, "unknown meter '" + p.getKey() + "'");
            }
            BigDecimal price = p.getValue();
            if (price == null || price.signum() < 0) {
                throw invalid(field, "a price must be a number >= 0, was " + price);
            }
            if (price.stripTrailingZeros().scale() > PRICE_SCALE) {
                throw invalid(field, "a price may have at most " + PRICE_SCALE + " decimal places, was " + price);
            }
            if (price.precision() - price.scale() > 24 - PRICE_SCALE) {
                throw invalid(field, "price " + price + " is too large");
            }
        }
    }

    private static ProblemException invalid(String field, String detail) {
        return ProblemException.unprocessableField("invalid-rate-card", field, detail);
    }
}
