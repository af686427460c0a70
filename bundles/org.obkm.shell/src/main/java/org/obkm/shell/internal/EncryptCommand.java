package org.obkm.shell.internal;

import java.io.IOException;
import java.util.Arrays;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.keys.ConfigSecrets;

/**
 * {@code obkm:encrypt}: the ciphertext of a secret for a configuration file (a directory's
 * {@code ConnectionPassword}), under a key every node of this cluster shares: paste it into a user store
 * file as {@code ENC(...)} (.cfg) or {@code <Property name="ConnectionPassword" encrypted="true">}
 * (.xml). Each run gives a different ciphertext of the same secret.
 */
@Service
@Command(scope = "obkm", name = "encrypt", description = "Encrypts a secret for a user store file (ConnectionPassword), for every node of the cluster")
public class EncryptCommand extends OperatorCommand {

    @Reference
    ConfigSecrets secrets;

    @Option(name = "--secret", aliases = "-s", description = "The secret (stays in the shell history; prefer --stdin)")
    String secret;

    @Option(name = "--stdin", description = "Read the secret from one line of standard input")
    boolean stdin;

    @Option(name = "--property", aliases = "-p", description = "The property name shown in the examples (default ConnectionPassword)")
    String property = "ConnectionPassword";

    @Override
    protected Object run() throws IOException {
        if (secret == null && !stdin) {
            throw new IllegalArgumentException("give the secret with --stdin (one line of standard input) or --secret");
        }
        char[] plain = UserPasswordInput.read(secret, stdin, System.out);
        String ciphertext;
        try {
            ciphertext = secrets.encrypt(plain);
        } finally {
            Arrays.fill(plain, '\0');
        }
        System.out.println(ciphertext);
        System.out.println("  in a .cfg file:  " + property + " = ENC(" + ciphertext + ")");
        System.out.println("  in an .xml file: <Property name=\"" + property + "\" encrypted=\"true\">" + ciphertext + "</Property>");
        return null;
    }
}
