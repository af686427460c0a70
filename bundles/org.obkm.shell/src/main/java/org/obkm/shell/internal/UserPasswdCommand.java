package org.obkm.shell.internal;

import java.io.IOException;
import java.util.Arrays;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.user.UserStoreRegistry;

/** {@code obkm:user-passwd}: sets a user's password; this also ends a lockout after failed sign-ins. */
@Service
@Command(scope = "obkm", name = "user-passwd", description = "Sets the password of a user of the primary user store")
public class UserPasswdCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Argument(index = 0, name = "username", required = true, description = "The username; DOMAIN/username for a writable secondary store")
    @Completion(UserNameCompleter.class)
    String username;

    @Option(name = "--password", aliases = "-p",
            description = "The new password (stays in the shell history); without it one is generated")
    String password;

    @Option(name = "--password-stdin", description = "Read the new password from one line of standard input")
    boolean passwordStdin;

    @Override
    protected Object run() throws IOException {
        WritableUsers target = WritableUsers.of(registry, username);
        char[] given = UserPasswordInput.read(password, passwordStdin, System.out);
        char[] pw = given != null ? given : UserPasswordInput.generate();
        try {
            target.admin().setPassword(target.username(), pw);
            System.out.println("Password of " + username + " changed.");
            if (given == null) {
                System.out.println("  password: " + new String(pw) + "   (shown once: hand it over safely)");
            }
        } finally {
            Arrays.fill(pw, '\0');
        }
        return null;
    }
}
