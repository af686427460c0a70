package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.settings.ClusterSettings;

/** {@code obkm:config-list}: every setting the cluster holds, secrets masked. */
@Service
@Command(scope = "obkm", name = "config-list", description = "Lists the cluster's settings")
public class ConfigListCommand extends OperatorCommand {

    @Reference
    ClusterSettings settings;

    @Override
    protected Object run() {
        ConfigRows.print(settings.list(null), settings);
        return null;
    }
}
