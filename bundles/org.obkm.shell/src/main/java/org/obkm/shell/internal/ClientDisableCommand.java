package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code obkm:client-disable}: the client authenticates nowhere and its tokens are inactive on every node. */
@Service
@Command(scope = "obkm", name = "client-disable", description = "Disables an OAuth client")
public class ClientDisableCommand extends ClientEnablement {

    @Override
    boolean disable() {
        return true;
    }
}
