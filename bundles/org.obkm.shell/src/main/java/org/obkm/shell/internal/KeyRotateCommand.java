package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.keys.KeyService;

/** {@code obkm:key-rotate}: new signing keys on every node; old keys keep verifying. */
@Service
@Command(scope = "obkm", name = "key-rotate", description = "Rotates the signing keys cluster-wide")
public class KeyRotateCommand extends OperatorCommand {

    @Reference
    KeyService keys;

    @Override
    protected Object run() {
        keys.rotate();
        System.out.println("Signing keys rotated; " + keys.publicJwkSet().getKeys().size() + " keys published.");
        return null;
    }
}
