package org.obkm.shell.internal;

import org.apache.karaf.shell.api.console.Session;

/** Who changes a cluster setting, as its row records it: the shell user. */
final class ConfigOperator {

    private ConfigOperator() {
    }

    static String name(Session session) {
        Object user = session == null ? null : session.get("USER");
        return user == null ? "karaf" : user.toString();
    }
}
