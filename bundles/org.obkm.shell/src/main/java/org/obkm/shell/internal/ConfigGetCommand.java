package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.settings.ClusterSettings;
import org.obkm.api.settings.ClusterSettings.Setting;

/** {@code obkm:config-get PID [key]}: the cluster's values and this node's, secrets masked. */
@Service
@Command(scope = "obkm", name = "config-get", description = "Shows a PID's (or one key's) cluster value and this node's")
public class ConfigGetCommand extends OperatorCommand {

    @Reference
    ClusterSettings settings;

    @Argument(index = 0, name = "pid", required = true, description = "The configuration PID")
    String pid;

    @Argument(index = 1, name = "key", description = "One key (default: every key the cluster holds of the PID)")
    String key;

    @Override
    protected Object run() {
        List<Setting> held = settings.list(pid);
        if (key == null) {
            ConfigRows.print(held, settings);
            return null;
        }
        Setting s = held.stream().filter(h -> h.key().equals(key)).findFirst().orElse(null);
        String here = settings.effective(pid, key);
        String perNode = settings.perNodeReason(pid, key);
        System.out.println(pid + " " + key);
        System.out.println("  cluster:   " + (s == null ? "(not held by the cluster" + (perNode != null
                ? ": " + perNode : "") + ")" : s.value() + "  (version " + s.version() + ", " + s.updatedBy() + ", "
                + s.updatedAt() + ")"));
        System.out.println("  this node: " + (here == null ? "(not set: the default applies)" : here)
                + (s != null && here != null && !here.equals(s.value()) ? "  <- local override" : ""));
        return null;
    }
}
