package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.obkm.api.settings.ClusterSettings;

/** {@code obkm:config-unset PID key}: the cluster no longer holds the key; every node drops it (its default applies). */
@Service
@Command(scope = "obkm", name = "config-unset", description = "Removes a cluster setting from every node (the default applies)")
public class ConfigUnsetCommand extends OperatorCommand {

    @Reference
    ClusterSettings settings;

    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "pid", required = true, description = "The configuration PID")
    String pid;

    @Argument(index = 1, name = "key", required = true, description = "The key")
    String key;

    @Override
    protected Object run() {
        long version = settings.unset(pid, key, ConfigOperator.name(session));
        System.out.println(pid + " " + key + " unset on the cluster (settings version " + version + ").");
        return null;
    }
}
