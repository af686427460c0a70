package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code obkm:client-enable}: a disabled client authenticates again on every node. */
@Service
@Command(scope = "obkm", name = "client-enable", description = "Enables a disabled OAuth client")
public class ClientEnableCommand extends ClientEnablement {

    @Override
    boolean disable() {
        return false;
    }
}
