package org.obkm.shell.internal;

import java.io.IOException;
import java.util.Arrays;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreRegistry;

/** {@code obkm:user-add}: adds a user to the primary store; a generated password is printed once. */
@Service
@Command(scope = "obkm", name = "user-add", description = "Adds a user to the primary user store, or to a writable secondary store as DOMAIN/username")
public class UserAddCommand extends OperatorCommand {

    static final String PRIMARY = "(" + UserStore.DOMAIN_PROPERTY + "=" + UserStore.PRIMARY + ")";

    @Reference
    UserStoreRegistry registry;

    @Argument(index = 0, name = "username", required = true,
            description = "1-200 characters, no whitespace at either end; DOMAIN/username for a writable secondary store")
    String username;

    @Option(name = "--display-name", aliases = "-d", description = "Name shown on pages")
    String displayName;

    @Option(name = "--password", aliases = "-p", description = "The password (stays in the shell history)")
    String password;

    @Option(name = "--password-stdin", description = "Read the password from one line of standard input")
    boolean passwordStdin;

    @Override
    protected Object run() throws IOException {
        char[] given = UserPasswordInput.read(password, passwordStdin, System.out);
        char[] pw = given != null ? given : UserPasswordInput.generate();
        try {
            WritableUsers target = WritableUsers.of(registry, username);
            User user = target.admin().add(target.username(), displayName, pw);
            System.out.println("User " + target.qualified() + " added (id " + user.id() + ", sub " + user.subject() + ").");
            if (given == null) {
                System.out.println("  password: " + new String(pw) + "   (shown once: hand it over safely)");
            }
        } finally {
            Arrays.fill(pw, '\0');
        }
        return null;
    }
}
