package org.obkm.shell.internal;

import java.io.IOException;
import java.util.Arrays;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.obkm.api.settings.ClusterSettings;

/**
 * {@code obkm:config-set PID key value}: sets a per-cluster setting once for every node; it is in force
 * on every member when the command returns. Per-node keys are refused with the reason.
 */
@Service
@Command(scope = "obkm", name = "config-set", description = "Sets a cluster setting (PID key value) on every node at once")
public class ConfigSetCommand extends OperatorCommand {

    @Reference
    ClusterSettings settings;

    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "pid", required = true, description = "The configuration PID, such as org.obkm.oauth")
    String pid;

    @Argument(index = 1, name = "key", required = true, description = "The key, such as accessTokenLifetimeSeconds")
    String key;

    @Argument(index = 2, name = "value", description = "The value (for a secret prefer --stdin)")
    String value;

    @Option(name = "--secret", description = "Store it encrypted and never show it (keys named like a password or secret always are)")
    boolean secret;

    @Option(name = "--stdin", description = "Read the value from one line of standard input")
    boolean stdin;

    @Override
    protected Object run() throws IOException {
        if (value == null && !stdin) {
            throw new IllegalArgumentException("give the value, or --stdin");
        }
        String refusal = settings.perNodeReason(pid, key);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        String text;
        if (stdin) {
            char[] chars = UserPasswordInput.read(value, true, System.out);
            text = new String(chars);
            Arrays.fill(chars, '\0');
        } else {
            text = value;
            if (secret) {
                System.out.println("Warning: a secret given as an argument stays in the shell history; prefer --stdin.");
            }
        }
        long version = settings.set(pid, key, text, secret, ConfigOperator.name(session));
        System.out.println(pid + " " + key + " set on the cluster (settings version " + version + ").");
        return null;
    }
}
