package org.obkm.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;
import org.obkm.api.cluster.ClusterUnavailableException;

/** What an unexpected failure means: a passing unavailability (503) or a defect (500). */
class FailuresTest {

    /** As the persistence layer wraps a failed statement (Sql.failure). */
    private static IllegalStateException database(SQLException e) {
        return new IllegalStateException("database error while reading a client: " + e.getMessage(), e);
    }

    @Test
    void theClusterAwayIsUnavailability() {
        assertEquals("the node is joining its cluster; retry shortly",
                Failures.unavailability(new ClusterUnavailableException("not joined")).orElseThrow());
        assertTrue(Failures.unavailability(new RuntimeException(new ClusterUnavailableException("x"))).isPresent());
    }

    @Test
    void anUnreachableDatabaseIsUnavailability() {
        assertTrue(Failures.unavailability(database(new SQLException("refused", "08001"))).isPresent());
        assertTrue(Failures.unavailability(database(new SQLException("shutting down", "57P01"))).isPresent());
        assertTrue(Failures.unavailability(database(new SQLTransientConnectionException("pool timeout"))).isPresent());
        assertTrue(Failures.unavailability(database(new SQLException("Cannot get a connection", null,
                new NoSuchElementException("Timeout waiting for idle object")))).isPresent());
    }

    @Test
    void aDefectIsNoUnavailability() {
        assertTrue(Failures.unavailability(database(new SQLIntegrityConstraintViolationException("dup", "23505")))
                .isEmpty());
        assertTrue(Failures.unavailability(new SQLException("syntax", "42601")).isEmpty());
        assertTrue(Failures.unavailability(new IllegalStateException("flow id collision")).isEmpty());
        assertTrue(Failures.unavailability(new NullPointerException()).isEmpty());
    }
}
