package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.user.UserStoreRegistry;

/** {@code obkm:user-unlock}: unlocks a user of the primary user store (also a lockout after failed sign-ins). */
@Service
@Command(scope = "obkm", name = "user-unlock", description = "Unlocks a user of the primary user store (also a lockout after failed sign-ins)")
public class UserUnlockCommand extends OperatorCommand {

    @Reference
    UserStoreRegistry registry;

    @Argument(index = 0, name = "username", required = true, description = "The username; DOMAIN/username for a writable secondary store")
    @Completion(UserNameCompleter.class)
    String username;

    @Override
    protected Object run() {
        WritableUsers target = WritableUsers.of(registry, username);
        target.admin().unlock(target.username());
        System.out.println("User " + username + " unlocked.");
        return null;
    }
}
