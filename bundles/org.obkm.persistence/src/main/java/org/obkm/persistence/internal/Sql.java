package org.obkm.persistence.internal;

import java.sql.SQLException;

/** Small helpers for plain JDBC on the shared DataSource. */
final class Sql {

    private Sql() {
    }

    /** SQLSTATE class 23: integrity constraint violation (a duplicate key on H2 and PostgreSQL alike). */
    static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /** Wraps a JDBC failure in an unchecked exception that names what was attempted. */
    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("database error while " + what + ": " + e.getMessage(), e);
    }
}
