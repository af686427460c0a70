package org.obkm.shell.internal;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.settings.ClusterSettings;
import org.obkm.api.settings.ClusterSettings.Difference;

/**
 * {@code obkm:config-diff}: every setting whose effective value differs between the members, or on a
 * member from the cluster's value (a local override in its file). Secrets show as digests only.
 */
@Service
@Command(scope = "obkm", name = "config-diff", description = "Lists the settings whose value differs between the members")
public class ConfigDiffCommand extends OperatorCommand {

    @Reference
    ClusterSettings settings;

    @Override
    protected Object run() {
        List<Difference> diffs = settings.differences();
        if (diffs.isEmpty()) {
            System.out.println("Every member's settings are the cluster's.");
            return null;
        }
        System.out.println(diffs.size() + " setting(s) differ between members:");
        ShellTable table = new ShellTable();
        table.column("PID");
        table.column("Key");
        table.column("Cluster");
        table.column("Member");
        table.column("Member's value");
        for (Difference d : diffs) {
            for (Map.Entry<String, String> m : d.byMember().entrySet()) {
                String v = m.getValue() == null ? "(not set)" : m.getValue();
                boolean off = d.clusterValue() != null && !d.clusterValue().equals(m.getValue());
                table.addRow().addContent(d.pid(), d.key(), d.clusterValue() == null ? "(not held)" : d.clusterValue(),
                        m.getKey(), off ? v + "  <- local override" : v);
            }
        }
        table.print(System.out);
        return null;
    }
}
