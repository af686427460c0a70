package org.obkm.consent.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentEvent;
import org.obkm.api.consent.ConsentLifecycle;
import org.obkm.api.consent.ConsentQuery;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStateException;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.consent.Created;
import org.obkm.api.consent.IdempotencyConflictException;
import org.obkm.api.consent.NewConsent;
import org.obkm.api.schema.SchemaReady;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The consents in the shared database, by plain JDBC: each change is one conditional UPDATE of the
 * consent's row, {@code WHERE id = ? AND status = ?} (and not deleted), with its audit event inserted in
 * the same transaction; an UPDATE that finds the row moved meanwhile changes nothing and the caller
 * hears so. Idempotency keys are unique per client in the table, so two nodes racing with the same
 * key create one consent: the loser reads the winner's. Nothing is cached here:
 * {@link CoherentConsentService} caches lookups in front of it, coherent across the cluster.
 */
@Component(service = JdbcConsentService.class)
public final class JdbcConsentService implements ConsentService {

    /** The idempotency window of the Read/Write Data API profile ("Idempotency"). */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    private static final String UNIQUE_VIOLATION = "23505";
    /** SQLSTATEs of a missing table or column: PostgreSQL's; H2 2.x answers 42S0x / 42S2x. */
    private static final java.util.Set<String> MISSING_TABLE_OR_COLUMN = java.util.Set.of("42P01", "42703");
    private static final String COLUMNS = "id, consent_type, client_id, status, created_at, status_updated_at,"
            + " expires_at, data_json, risk_json, subject, accounts_json, deleted_at";

    private final DataSource dataSource;
    private final Clock clock;

    @Activate
    public JdbcConsentService(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference(target = ConsentSchema.READY) SchemaReady schema) {
        this(dataSource, Clock.systemUTC());
    }

    JdbcConsentService(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Created create(NewConsent n) throws IdempotencyConflictException {
        Objects.requireNonNull(n.type(), "type");
        Objects.requireNonNull(n.clientId(), "clientId");
        Objects.requireNonNull(n.data(), "data");
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Created created = create(c, n);
                    c.commit();
                    return created;
                } catch (SQLException e) {
                    c.rollback();
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt > 0) {
                        throw e;
                    }
                    // another node stored the same client and key first: the next round replays its consent
                } catch (IdempotencyConflictException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw failure("store a consent", e);
            }
        }
    }

    private Created create(Connection c, NewConsent n) throws SQLException, IdempotencyConflictException {
        Instant now = clock.instant();
        if (n.idempotencyKey() != null) {
            Optional<String[]> earlier = idempotent(c, n.clientId(), n.idempotencyKey());
            if (earlier.isPresent()) {
                String id = earlier.get()[0];
                Instant at = Instant.ofEpochMilli(Long.parseLong(earlier.get()[2]));
                if (at.isAfter(now.minus(IDEMPOTENCY_WINDOW))) {
                    if (!Objects.equals(earlier.get()[1], n.requestHash())) {
                        throw new IdempotencyConflictException("x-idempotency-key " + n.idempotencyKey()
                                + " was used within 24 hours for a different request body");
                    }
                    return new Created(read(c, id).orElseThrow(), true);
                }
                // older than the window: the key is free again, the old consent keeps its id
                try (PreparedStatement p = c.prepareStatement(
                        "UPDATE obkm_consent SET idempotency_key = NULL WHERE id = ?")) {
                    p.setString(1, id);
                    p.executeUpdate();
                }
            }
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO obkm_consent (id, consent_type, client_id, status,"
                + " created_at, status_updated_at, expires_at, data_json, risk_json, idempotency_key, request_hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, n.type().code());
            p.setString(3, n.clientId());
            p.setString(4, ConsentStatus.AWAITING_AUTHORISATION.wire());
            p.setLong(5, now.toEpochMilli());
            p.setLong(6, now.toEpochMilli());
            setMillis(p, 7, n.expiresAt());
            p.setString(8, n.data());
            p.setString(9, n.risk());
            p.setString(10, n.idempotencyKey());
            p.setString(11, n.requestHash());
            p.executeUpdate();
        }
        event(c, id, now, "client:" + n.clientId(), null, ConsentStatus.AWAITING_AUTHORISATION, "created");
        return new Created(read(c, id).orElseThrow(), false);
    }

    private static Optional<String[]> idempotent(Connection c, String clientId, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, request_hash, created_at FROM obkm_consent WHERE client_id = ? AND idempotency_key = ?")) {
            p.setString(1, clientId);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2),
                    Long.toString(rs.getLong(3))}) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<Consent> find(String consentId) {
        if (consentId == null || consentId.isEmpty() || consentId.length() > 128) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            return read(c, consentId);
        } catch (SQLException e) {
            throw failure("read a consent", e);
        }
    }

    @Override
    public List<Consent> list(ConsentQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM obkm_consent WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (q.clientId() != null) {
            sql.append(" AND client_id = ?");
            args.add(q.clientId());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status().wire());
        }
        sql.append(" ORDER BY created_at DESC, id");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                p.setString(i + 1, args.get(i));
            }
            p.setMaxRows(q.limit());
            List<Consent> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("list consents", e);
        }
    }

    @Override
    public List<ConsentEvent> history(String consentId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT occurred_at, actor, from_status, to_status, reason FROM obkm_consent_event"
                        + " WHERE consent_id = ? ORDER BY id")) {
            p.setString(1, consentId);
            List<ConsentEvent> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(3);
                    out.add(new ConsentEvent(consentId, Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2),
                            from == null ? null : status(from), status(rs.getString(4)), rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read a consent's history", e);
        }
    }

    @Override
    public Consent transition(String consentId, ConsentStatus expected, ConsentStatus to, String actor, String reason)
            throws ConsentStateException {
        return change(consentId, expected, to, actor, reason, null, null, false);
    }

    @Override
    public Consent authorise(String consentId, String subject, List<String> accounts, String actor)
            throws ConsentStateException {
        Objects.requireNonNull(subject, "subject");
        Consent now = find(consentId).orElseThrow(() -> new NoSuchElementException("no consent " + consentId));
        if (now.status() == ConsentStatus.AUTHORISED && now.type() != ConsentType.DOMESTIC_PAYMENT) {
            // re-authentication of a long-lived consent: same ConsentId, status unchanged (AIS profile)
            if (now.isExpired(clock.instant()) || now.isDeleted()) {
                throw new ConsentStateException(now, "the consent expired or was deleted; it cannot be re-authenticated");
            }
            return change(consentId, ConsentStatus.AUTHORISED, ConsentStatus.AUTHORISED, actor, "re-authenticated",
                    subject, accounts, true);
        }
        return change(consentId, ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.AUTHORISED, actor,
                "authorised by the PSU", subject, accounts, false);
    }

    private Consent change(String consentId, ConsentStatus expected, ConsentStatus to, String actor, String reason,
            String subject, List<String> accounts, boolean reauthentication) throws ConsentStateException {
        Consent current = find(consentId).orElseThrow(() -> new NoSuchElementException("no consent " + consentId));
        Instant now = clock.instant();
        if (current.isDeleted()) {
            throw new ConsentStateException(current, "the consent was deleted by its TPP");
        }
        if (current.status() != expected) {
            throw new ConsentStateException(current, "the consent is " + current.status().wire() + ", not "
                    + expected.wire());
        }
        String refusal = reauthentication ? null : ConsentLifecycle.refusal(current, to, now);
        if (refusal != null) {
            throw new ConsentStateException(current, refusal);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement p = c.prepareStatement("UPDATE obkm_consent SET status = ?, status_updated_at = ?"
                        + (subject != null ? ", subject = ?, accounts_json = ?" : "")
                        + " WHERE id = ? AND status = ? AND deleted_at IS NULL")) {
                    int i = 1;
                    p.setString(i++, to.wire());
                    p.setLong(i++, reauthentication ? current.statusUpdatedAt().toEpochMilli() : now.toEpochMilli());
                    if (subject != null) {
                        p.setString(i++, subject);
                        p.setString(i++, Json.array(accounts == null ? List.of() : accounts));
                    }
                    p.setString(i++, consentId);
                    p.setString(i, expected.wire());
                    updated = p.executeUpdate();
                }
                if (updated != 1) {
                    c.rollback();
                    Consent moved = read(c, consentId).orElseThrow();
                    throw new ConsentStateException(moved, "the consent moved meanwhile: it is "
                            + moved.status().wire() + (moved.isDeleted() ? " and deleted" : ""));
                }
                event(c, consentId, now, actor, expected, to, reason);
                c.commit();
                return read(c, consentId).orElseThrow();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("change a consent", e);
        }
    }

    @Override
    public Consent delete(String consentId, String actor) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Consent current = find(consentId).orElseThrow(() -> new NoSuchElementException("no consent " + consentId));
            if (current.isDeleted()) {
                return current;
            }
            ConsentStatus to = switch (current.status()) {
                case AWAITING_AUTHORISATION -> ConsentStatus.REJECTED;
                case AUTHORISED -> current.type().allows(ConsentStatus.REVOKED) ? ConsentStatus.REVOKED
                        : ConsentStatus.AUTHORISED;
                default -> current.status();
            };
            Instant now = clock.instant();
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    int updated;
                    try (PreparedStatement p = c.prepareStatement("UPDATE obkm_consent SET status = ?,"
                            + " status_updated_at = ?, deleted_at = ? WHERE id = ? AND status = ? AND deleted_at IS NULL")) {
                        p.setString(1, to.wire());
                        p.setLong(2, to == current.status() ? current.statusUpdatedAt().toEpochMilli() : now.toEpochMilli());
                        p.setLong(3, now.toEpochMilli());
                        p.setString(4, consentId);
                        p.setString(5, current.status().wire());
                        updated = p.executeUpdate();
                    }
                    if (updated == 1) {
                        event(c, consentId, now, actor, current.status(), to, "deleted by the TPP");
                        c.commit();
                        return read(c, consentId).orElseThrow();
                    }
                    c.rollback();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw failure("delete a consent", e);
            }
        }
        throw new IllegalStateException("consent " + consentId + " kept moving while it was deleted; try again");
    }

    private static void event(Connection c, String consentId, Instant at, String actor, ConsentStatus from,
            ConsentStatus to, String reason) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO obkm_consent_event (consent_id, occurred_at, actor,"
                + " from_status, to_status, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, consentId);
            p.setLong(2, at.toEpochMilli());
            p.setString(3, truncate(actor, 255));
            p.setString(4, from == null ? null : from.wire());
            p.setString(5, to.wire());
            p.setString(6, truncate(reason, 500));
            p.executeUpdate();
        }
    }

    private static Optional<Consent> read(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM obkm_consent WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Consent row(ResultSet rs) throws SQLException {
        ConsentType type = ConsentType.ofCode(rs.getString(2))
                .orElseThrow(() -> new IllegalStateException("unknown consent type in obkm_consent"));
        String accounts = rs.getString(11);
        return new Consent(rs.getString(1), type, rs.getString(3), status(rs.getString(4)),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), millis(rs, 7),
                rs.getString(8), rs.getString(9), rs.getString(10), accounts == null ? List.of() : Json.strings(accounts),
                millis(rs, 12));
    }

    private static ConsentStatus status(String wire) {
        return ConsentStatus.ofWire(wire)
                .orElseThrow(() -> new IllegalStateException("unknown consent status in obkm_consent: " + wire));
    }

    private static Instant millis(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setMillis(PreparedStatement p, int i, Instant at) throws SQLException {
        if (at == null) {
            p.setNull(i, java.sql.Types.BIGINT);
        } else {
            p.setLong(i, at.toEpochMilli());
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** A database failure: the table missing says so plainly, as the user store does. */
    private static IllegalStateException failure(String what, SQLException e) {
        String state = e.getSQLState();
        if (state != null && (MISSING_TABLE_OR_COLUMN.contains(state) || state.startsWith("42S"))) {
            return new IllegalStateException("the consent tables are missing or older than version "
                    + ConsentSchema.SCRIPTS.size() + " of schema module " + ConsentSchema.MODULE + ": cannot " + what, e);
        }
        return new IllegalStateException("the database could not " + what + ": " + e.getMessage(), e);
    }
}
