package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.settings.ClusterSettings;
import org.obkm.api.settings.ClusterSettings.Setting;

/** The table of cluster settings that config-list and config-get print. */
final class ConfigRows {

    private ConfigRows() {
    }

    static void print(List<Setting> rows, ClusterSettings settings) {
        System.out.println("Cluster settings: " + rows.size() + " held; this node applied version "
                + settings.appliedVersion());
        ShellTable table = new ShellTable();
        table.column("PID");
        table.column("Key");
        table.column("Value");
        table.column("Version");
        table.column("Updated by");
        table.column("Updated at");
        for (Setting s : rows) {
            table.addRow().addContent(s.pid(), s.key(), s.value(), s.version(), s.updatedBy(), s.updatedAt().toString());
        }
        table.print(System.out);
    }
}
